/**
 * A zombie under `exactly_once_v2`: instance A is SIGSTOPped while its transaction holds output
 * records, longer than its session and transaction timeouts; the broker aborts that transaction
 * (bumping A's producer epoch), the group moves A's partitions to B, which processes them and more
 * input. Then A is SIGCONTed: whatever it still sends or commits from before is fenced (its epoch
 * is stale, its group generation too: KIP-447), so none of it becomes visible to a read_committed
 * consumer; A rejoins and the two share the work. The output equals the model: per key the counts
 * 1..n, each exactly once, and no transaction stays open.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel } from 'kafkajs';
import { createTopics, produce, readCommitted, waitFor } from '@gmart/test-support';

jest.setTimeout(180000);

const KEYS = 20;
const PARTITIONS = 2;

class Instance {
  readonly child: ChildProcess;
  running = 0;
  err = '';
  constructor(brokers: string, slot: string, stateDir: string) {
    this.child = spawn(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(__dirname, '../helpers/eos-counting-child.ts'),
        brokers,
        'zb-app',
        'zb-in',
        'zb-out',
        stateDir,
        'exactly_once_v2',
        slot,
      ],
      {
        cwd: path.join(__dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, EOS_DEBUG: '1' },
      },
    );
    this.child.stdout!.on('data', (d: Buffer) => {
      this.running += (d.toString().match(/RUNNING/g) ?? []).length;
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
  }
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  kill(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

describe('exactly_once_v2: a SIGSTOPped instance resumed after its partitions moved (zombie)', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  const instances: Instance[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      port: 0,
      groupInitialRebalanceDelayMs: 0,
      groupMinSessionTimeoutMs: 1000,
    });
    kafka = new Kafka({
      brokers: [broker.bootstrapServers],
      logLevel: logLevel.NOTHING,
      clientId: 'zb-test',
    });
  });

  afterAll(async () => {
    for (const i of instances) if (i.alive) i.child.kill('SIGCONT');
    await Promise.all(instances.map((i) => i.kill()));
    await broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("fences the zombie's late writes: read_committed output equals the model", async () => {
    await createTopics(kafka, [
      { topic: 'zb-in', numPartitions: PARTITIONS },
      { topic: 'zb-out', numPartitions: PARTITIONS },
    ]);
    const expected = new Map<string, number>();
    let produced = 0;
    const send = async (n: number) => {
      const records = Array.from({ length: n }, (_, j) => {
        const key = `k${((produced + j) * 7) % KEYS}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
        return { key, value: `v${produced + j}` };
      });
      produced += n;
      await produce(kafka, 'zb-in', records);
    };
    const outLog = (p: number) => broker.logManager.partition('zb-out', p)!;
    const openTransaction = () =>
      Array.from({ length: PARTITIONS }, (_, p) => outLog(p)).some(
        (l) => l.lastStableOffset < l.highWatermark,
      );
    const start = (slot: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zb-'));
      dirs.push(dir);
      const i = new Instance(broker.bootstrapServers, slot, dir);
      instances.push(i);
      return i;
    };

    const a = start('zb-a');
    await waitFor(() => a.running > 0, 60000, 'A RUNNING');
    await send(4000);
    // Stop A while a transaction of its holds output records (the LSO of an output partition
    // is behind its end), and check it is still open once A is stopped.
    let stopped = false;
    await waitFor(
      async () => {
        if (!openTransaction()) return false;
        a.child.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, 50));
        if (openTransaction()) return (stopped = true);
        a.child.kill('SIGCONT');
        return false;
      },
      60000,
      'A stopped inside an open transaction',
    );
    expect(stopped).toBe(true);
    const visibleAtStop = (await readCommitted(kafka, 'zb-out')).length;
    expect(visibleAtStop).toBeLessThan(produced);

    // B takes over once A's session timed out; A's open transaction is aborted by its timeout.
    const b = start('zb-b');
    await send(1000);
    await waitFor(
      async () => (await readCommitted(kafka, 'zb-out')).length >= produced,
      90000,
      'B to process everything',
    );
    expect(openTransaction()).toBe(false);

    // The zombie wakes up: its late sends and commits are fenced; it rejoins.
    const aRuns = a.running;
    a.child.kill('SIGCONT');
    await waitFor(() => a.running > aRuns, 60000, 'A to rejoin after being fenced');
    await send(1000);
    await waitFor(
      async () => (await readCommitted(kafka, 'zb-out')).length >= produced && !openTransaction(),
      90000,
      'all output committed',
    );
    // Anything beyond `produced` would be a duplicate: give it a moment to show up.
    await new Promise((r) => setTimeout(r, 1000));
    expect(openTransaction()).toBe(false);

    const all = await readCommitted(kafka, 'zb-out');
    const counts = new Map<string, number[]>();
    for (const r of all) counts.set(r.key!, [...(counts.get(r.key!) ?? []), Number(r.value!.toString())]);
    for (const [key, n] of expected) {
      const seen = (counts.get(key) ?? []).sort((x, y) => x - y);
      expect({ key, seen }).toEqual({ key, seen: Array.from({ length: n }, (_, i) => i + 1) });
    }
    expect(all.length).toBe(produced);
    // A noticed: it dropped the transaction it held when stopped (fenced, or refused at commit).
    expect(a.err).toMatch(/Exactly-once: /);
    expect(a.alive && b.alive).toBe(true);
  });
});
