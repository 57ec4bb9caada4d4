/**
 * Exactly-once under a kill loop (issue 19's soak, opt-in, not part of `npm test`): three instances
 * of the stateful counting topology (`test/helpers/eos-counting-child.ts`: `groupByKey().count()`,
 * one output record `key -> count` per input record, no cache) over KILL_LOOP_RECORDS input records
 * (default 200,000; 6 partitions, 1,000 keys) on an embedded broker; every KILL_LOOP_MIN_MS to
 * KILL_LOOP_MAX_MS (seeded random, once the group committed more since the previous kill) one instance is `kill -9`-ed and restarted on its state
 * directory, until 90% of the input is committed. Both guarantees commit every second here
 * (at_least_once's default 30 s would leave few commits to kill between). Run under exactly_once_v2 then at_least_once;
 * for each: the output records, lost and duplicated counts (per key the counts must be 1..n exactly
 * once; a count repeated or beyond n is a duplicate), whether the final counts equal the recomputation, and (exactly-once) whether a transaction
 * stayed open. Exits 1 when exactly_once_v2 lost or duplicated anything.
 *
 *   npm run bench:eos-kill-loop -w @gmart/streams
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { benchCommandLine } from '@gmart/command-line';

const USAGE = `Usage: npm run bench:eos-kill-loop -w @gmart/streams

Exactly-once under a kill -9 loop of three instances, then at_least_once for contrast (opt-in soak).

Settings come from the environment: KILL_LOOP_RECORDS (default 200000), KILL_LOOP_MIN_MS (default 3000),
KILL_LOOP_MAX_MS (default 8000).

  -h, --help   show this help
`;

// The soak takes no flags (its settings are environment variables).
benchCommandLine('bench:eos-kill-loop @gmart/streams', USAGE);

const RECORDS = Number(process.env.KILL_LOOP_RECORDS ?? 200_000);
const MIN_MS = Number(process.env.KILL_LOOP_MIN_MS ?? 5000);
const MAX_MS = Number(process.env.KILL_LOOP_MAX_MS ?? 15000);
const KEYS = 1000;
const PARTITIONS = 6;
const INSTANCES = 3;
type Guarantee = 'at_least_once' | 'exactly_once_v2';

/** The instances' stderr (errors; EOS_DEBUG=1 adds the exactly-once warnings). */
const ERROR_LOG = path.join(os.tmpdir(), `eos-kill-loop-${process.pid}.log`);
let errorLines = 0;
let lastError = '';
const say = (m: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

let seed = 4711;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

function startInstance(brokers: string, guarantee: Guarantee, slot: number, stateDir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@gmart/source',
      '-r',
      '@swc-node/register',
      path.join(__dirname, '../../test/helpers/eos-counting-child.ts'),
      brokers,
      `kl-${guarantee}`,
      `kl-in-${guarantee}`,
      `kl-out-${guarantee}`,
      stateDir,
      guarantee,
      `kl-${guarantee}-slot-${slot}`,
    ],
    {
      cwd: path.join(__dirname, '../..'),
      stdio: ['ignore', 'ignore', 'pipe'],
      // Wider than the tests' 3 s / 2 s: a loaded machine stalls instances for seconds, and a
      // member dropped for it is a rebalance (and, under exactly-once, a full restore) each time.
      env: {
        ...process.env,
        COMMIT_INTERVAL_MS: '1000',
        SESSION_TIMEOUT_MS: process.env.KILL_LOOP_SESSION_TIMEOUT_MS ?? '10000',
        TRANSACTION_TIMEOUT_MS: process.env.KILL_LOOP_TRANSACTION_TIMEOUT_MS ?? '8000',
      },
    },
  );
  // Counted, not echoed: a loaded machine makes the instances log timeouts by the thousand.
  child.stderr!.on('data', (d: Buffer) => {
    fs.appendFileSync(ERROR_LOG, d);
    errorLines += d.toString().split('\n').length - 1;
    lastError = d.toString().trim().split('\n').pop() ?? lastError;
  });
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Every record of `topic` up to its end offsets (read_committed; markers are never handed over). */
async function readAll(kafka: Kafka, topic: string): Promise<Array<{ key: string; count: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, e]) => e > 0).map(([p]) => p));
  const out: Array<{ key: string; count: number }> = [];
  if (pending.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `kl-reader-${Math.random()}`, maxBytes: 16 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      if (Number(e.payload.lastOffset) >= (ends.get(e.payload.partition) ?? 0) - 1)
        pending.delete(e.payload.partition);
      if (pending.size === 0) resolve();
    });
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition) ?? 0;
          for (const m of batch.messages)
            if (Number(m.offset) < end)
              out.push({ key: m.key!.toString(), count: Number(m.value!.toString()) });
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return out;
}

interface Outcome {
  guarantee: Guarantee;
  kills: number;
  seconds: number;
  outputs: number;
  lost: number;
  duplicated: number;
  finalCountsExact: boolean;
  openTransactions: number;
}

async function run(broker: EmbeddedKafka, kafka: Kafka, guarantee: Guarantee): Promise<Outcome> {
  const input = `kl-in-${guarantee}`;
  const output = `kl-out-${guarantee}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [input, output].map((topic) => ({ topic, numPartitions: PARTITIONS })),
  });
  const expected = new Map<string, number>();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < RECORDS; i += 5000) {
    const messages = Array.from({ length: Math.min(5000, RECORDS - i) }, (_, j) => {
      const key = `k${((i + j) * 7919) % KEYS}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
      return { key, value: `v${i + j}` };
    });
    await producer.send({ topic: input, acks: -1, messages });
  }
  await producer.disconnect();
  say(`${guarantee}: ${RECORDS} records in ${input}; starting ${INSTANCES} instances (stderr: ${ERROR_LOG})`);

  const dirs = Array.from({ length: INSTANCES }, () => fs.mkdtempSync(path.join(os.tmpdir(), 'kl-')));
  const children = dirs.map((d, slot) => startInstance(broker.bootstrapServers, guarantee, slot, d));
  const committed = async () => {
    const res = await admin.fetchOffsets({ groupId: `kl-${guarantee}`, topics: [input] });
    return res[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  };
  const started = Date.now();
  let kills = 0;
  let doneAtKill = 0;
  let nextKill = Date.now() + MIN_MS + random() * (MAX_MS - MIN_MS);
  for (;;) {
    const done = await committed();
    if (done >= RECORDS) break;
    // A kill only after the group committed more since the previous one (instances take a few
    // seconds to start and restore; output alone grows with aborted transactions too), so the loop
    // cannot starve the application; none in the last 10%.
    if (done < RECORDS * 0.9 && done > doneAtKill && Date.now() >= nextKill) {
      doneAtKill = done;
      const slot = Math.floor(random() * INSTANCES);
      await kill(children[slot]!);
      children[slot] = startInstance(broker.bootstrapServers, guarantee, slot, dirs[slot]!);
      kills++;
      say(
        `${guarantee}: kill -9 of slot ${slot} at ${done} committed; restarted (${errorLines} error lines so far, last: ${lastError.slice(0, 160)})`,
      );
      nextKill = Date.now() + MIN_MS + random() * (MAX_MS - MIN_MS);
    }
    if (Date.now() - started > 30 * 60_000) throw new Error(`${guarantee}: not done after 30 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (Date.now() - started) / 1000;
  // Under exactly_once_v2 the last transaction may still be finishing: wait for its markers.
  const open = () => {
    let n = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const log = broker.logManager.partition(output, p)!;
      if (log.lastStableOffset < log.highWatermark) n++;
    }
    return n;
  };
  for (let i = 0; i < 100 && open() > 0; i++) await new Promise((r) => setTimeout(r, 100));
  const openTransactions = open();
  const records = await readAll(kafka, output);
  await Promise.all(children.map(kill));
  await admin.disconnect();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });

  const seen = new Map<string, Map<number, number>>();
  for (const r of records) {
    const m = seen.get(r.key) ?? new Map<number, number>();
    m.set(r.count, (m.get(r.count) ?? 0) + 1);
    seen.set(r.key, m);
  }
  let lost = 0;
  let duplicated = 0;
  let finalCountsExact = true;
  for (const [key, n] of expected) {
    const m = seen.get(key) ?? new Map<number, number>();
    for (let c = 1; c <= n; c++) {
      const times = m.get(c) ?? 0;
      if (times === 0) lost++;
      if (times > 1) duplicated += times - 1;
    }
    // A record processed twice counts one too many from then on: outputs beyond n are duplicates too.
    for (const [c, times] of m) if (c > n) duplicated += times;
    if (Math.max(0, ...m.keys()) !== n) finalCountsExact = false;
  }
  return {
    guarantee,
    kills,
    seconds,
    outputs: records.length,
    lost,
    duplicated,
    finalCountsExact,
    openTransactions,
  };
}

async function main(): Promise<void> {
  const broker = await EmbeddedKafka.start({
    port: 0,
    groupInitialRebalanceDelayMs: 0,
    groupMinSessionTimeoutMs: 1000,
  });
  const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, clientId: 'kl' });
  const outcomes: Outcome[] = [];
  try {
    for (const g of ['exactly_once_v2', 'at_least_once'] as const) outcomes.push(await run(broker, kafka, g));
  } finally {
    await broker.stop();
  }
  say(`kill loop, ${RECORDS} records, ${INSTANCES} instances, ${PARTITIONS} partitions, ${KEYS} keys:`);
  for (const o of outcomes)
    say(
      `  ${o.guarantee.padEnd(15)} kills ${o.kills}, ${o.seconds.toFixed(0)} s, output records ${o.outputs} ` +
        `(input ${RECORDS}), lost ${o.lost}, duplicated ${o.duplicated}, final counts exact: ${o.finalCountsExact}` +
        (o.guarantee === 'exactly_once_v2' ? `, open transactions: ${o.openTransactions}` : ''),
    );
  const eos = outcomes.find((o) => o.guarantee === 'exactly_once_v2')!;
  if (eos.lost || eos.duplicated || !eos.finalCountsExact || eos.outputs !== RECORDS || eos.openTransactions)
    process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
