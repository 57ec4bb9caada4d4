/**
 * `exactly_once_v2` end to end over the embedded broker: a stateful counting topology (one output
 * record `key -> count` per input record, no cache) run as child processes, instances `kill -9`-ed
 * and restarted while processing. The read_committed output must hold, per key, the counts
 * 1..n exactly once each (0 lost, 0 duplicated, final count exact), and no transaction may stay
 * open. (The 200,000-record, 3-instance loop with the at-least-once contrast is
 * `npm run bench:eos-kill-loop -w @gmart/streams`; the zombie: `exactly-once-zombie.test.ts`.)
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka as KafkaJs, logLevel } from 'kafkajs';
import { committedOffsets, consume, createTopics, produce, waitFor } from '@gmart/test-support';

jest.setTimeout(180000);

const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

/** Records a read_committed reader gets from `log`: data batches not in an aborted transaction. */
function committedDataRecords(log: {
  allEntries(): Array<{ baseOffset: number; lastOffset: number; producerId: number; attributes: number }>;
  isAborted(producerId: number, offset: number): boolean;
}): number {
  return log
    .allEntries()
    .filter((e) => (e.attributes & CONTROL) === 0)
    .filter((e) => (e.attributes & TRANSACTIONAL) === 0 || !log.isAborted(e.producerId, e.baseOffset))
    .reduce((n, e) => n + e.lastOffset - e.baseOffset + 1, 0);
}

const RECORDS = 3000;
const KEYS = 30;

class Instance {
  readonly child: ChildProcess;
  running = 0;
  err = '';
  constructor(brokers: string[], guarantee: string, slot: number, stateDir: string) {
    this.child = spawn(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(__dirname, '../helpers/eos-counting-child.ts'),
        brokers.join(','),
        'eos-app',
        'eos-in',
        'eos-out',
        stateDir,
        guarantee,
        `eos-slot-${slot}`,
      ],
      { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout!.on('data', (d: Buffer) => {
      this.running += (d.toString().match(/RUNNING/g) ?? []).length;
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
  }
  kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

describe('exactly_once_v2 under kill -9', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  const instances: Instance[] = [];

  beforeAll(async () => {
    // Short session timeouts so a killed member's partitions move on quickly.
    broker = await EmbeddedKafka.start({
      port: 0,
      groupInitialRebalanceDelayMs: 0,
      groupMinSessionTimeoutMs: 1000,
    });
    kafka = new KafkaJs({
      brokers: [broker.bootstrapServers],
      logLevel: logLevel.NOTHING,
      clientId: 'eos-test',
    });
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    await broker.stop();
  });

  it('read_committed output has every count exactly once after instances are killed and restarted', async () => {
    await createTopics(kafka, [
      { topic: 'eos-in', numPartitions: 4 },
      { topic: 'eos-out', numPartitions: 2 },
    ]);
    const expected = new Map<string, number>();
    const records = Array.from({ length: RECORDS }, (_, i) => {
      const key = `k${(i * 7) % KEYS}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
      return { key, value: `v${i}` };
    });
    await produce(kafka, 'eos-in', records);
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'eos-state-')));
    const brokers = [broker.bootstrapServers];
    const start = (slot: number) => {
      const i = new Instance(brokers, 'exactly_once_v2', slot, dirs[slot]!);
      instances.push(i);
      return i;
    };
    const out = () =>
      broker.logManager.partition('eos-out', 0)!.highWatermark +
      broker.logManager.partition('eos-out', 1)!.highWatermark;

    let a = start(0);
    const b = start(1);
    // Kill each slot once mid-run (its state directory survives, as a crashed pod's volume would).
    await waitFor(() => out() > RECORDS / 5, 90000, 'some output');
    await a.kill();
    a = start(0);
    await waitFor(() => a.running > 0 && out() > RECORDS / 2, 90000, 'the restarted instance to run');
    await b.kill();
    start(1);

    // Wait until every input record is processed and its transaction ended (offsets committed in
    // the transactions, nothing open): then no more output can appear, and the broker's log says how
    // many records a read_committed reader gets, duplicates included.
    const outLogs = [0, 1].map((p) => broker.logManager.partition('eos-out', p)!);
    await waitFor(
      async () => {
        const offsets = await committedOffsets(kafka, 'eos-app', 'eos-in');
        const done = [...offsets.values()].reduce((s, o) => s + Math.max(o, 0), 0) === RECORDS;
        return done && outLogs.every((log) => log.lastStableOffset === log.highWatermark);
      },
      120000,
      'every input offset committed and no open transaction on the output',
    );
    const readable = outLogs.reduce((n, log) => n + committedDataRecords(log), 0);
    const all = await consume(kafka, 'eos-out', readable, 60000);
    const counts = new Map<string, number[]>();
    for (const r of all) counts.set(r.key!, [...(counts.get(r.key!) ?? []), Number(r.value!.toString())]);
    for (const [key, n] of expected) {
      const seen = (counts.get(key) ?? []).sort((x, y) => x - y);
      expect({ key, seen }).toEqual({ key, seen: Array.from({ length: n }, (_, i) => i + 1) });
    }
    expect(readable).toBe(RECORDS);
    expect(all.length).toBe(RECORDS);
    // No transaction is left open: the restarted slots fenced and aborted their predecessors'.
    const open = broker.logManager.partition('eos-out', 0)!;
    expect(open.lastStableOffset).toBe(open.highWatermark);
  });
});
