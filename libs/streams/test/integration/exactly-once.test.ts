/**
 * `exactly_once_v2` end to end over the embedded broker: a stateful counting topology (one output
 * record `key -> count` per input record, no cache) run as child processes, instances `kill -9`-ed
 * and restarted while processing. The read_committed output must hold, per key, the counts
 * 1..n exactly once each (0 lost, 0 duplicated, final count exact), and no transaction may stay
 * open. (The 200,000-record, 3-instance loop with the at-least-once contrast is
 * `npm run bench:eos-kill-loop -w @gmart/streams`; the zombie: `exactly-once-zombie.test.ts`.)
 */
import {
  committedOffsets,
  consume,
  createTopics,
  produce,
  startBroker,
  tempDir,
  waitFor,
  killChildApps,
  type TestBroker,
} from '@gmart/test-support';
import { KAFKA_CLIENTS } from '../../src';
import { expectEveryCountOnce, startCountingInstance } from '../helpers/eos-counting';

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

describe.each(KAFKA_CLIENTS.map((c) => [c]))('exactly_once_v2 under kill -9 on %s', (client) => {
  const APP = { applicationId: `eos-app-${client}`, input: `eos-in-${client}`, output: `eos-out-${client}` };

  let env: TestBroker;

  beforeAll(async () => {
    // Short session timeouts so a killed member's partitions move on quickly.
    env = await startBroker({ groupMinSessionTimeoutMs: 1000, clientId: 'eos-test' });
  });

  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it('read_committed output has every count exactly once after instances are killed and restarted', async () => {
    await createTopics(env.kafka, [
      { topic: APP.input, numPartitions: 4 },
      { topic: APP.output, numPartitions: 2 },
    ]);
    const expected = new Map<string, number>();
    const records = Array.from({ length: RECORDS }, (_, i) => {
      const key = `k${(i * 7) % KEYS}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
      return { key, value: `v${i}` };
    });
    await produce(env.kafka, APP.input, records);
    const dirs = [0, 1].map(() => tempDir('eos-state'));
    const start = (slot: number) =>
      startCountingInstance(env.brokers, APP, `eos-slot-${slot}`, dirs[slot]!, { KAFKA_CLIENT: client });
    const out = () =>
      env.broker.logManager.partition(APP.output, 0)!.highWatermark +
      env.broker.logManager.partition(APP.output, 1)!.highWatermark;

    let a = start(0);
    const b = start(1);
    // Kill each slot once mid-run (its state directory survives, as a crashed pod's volume would).
    await waitFor(() => out() > RECORDS / 5, 90000, 'some output');
    await a.kill();
    a = start(0);
    await waitFor(
      () => a.printed('RUNNING') > 0 && out() > RECORDS / 2,
      90000,
      'the restarted instance to run',
    );
    await b.kill();
    start(1);

    // Wait until every input record is processed and its transaction ended (offsets committed in
    // the transactions, nothing open): then no more output can appear, and the broker's log says how
    // many records a read_committed reader gets, duplicates included.
    const outLogs = [0, 1].map((p) => env.broker.logManager.partition(APP.output, p)!);
    await waitFor(
      async () => {
        const offsets = await committedOffsets(env.kafka, APP.applicationId, APP.input);
        const done = [...offsets.values()].reduce((s, o) => s + Math.max(o, 0), 0) === RECORDS;
        return done && outLogs.every((log) => log.lastStableOffset === log.highWatermark);
      },
      120000,
      'every input offset committed and no open transaction on the output',
    );
    const readable = outLogs.reduce((n, log) => n + committedDataRecords(log), 0);
    const all = await consume(env.kafka, APP.output, readable, 60000);
    expectEveryCountOnce(all, expected);
    expect(readable).toBe(RECORDS);
    expect(all.length).toBe(RECORDS);
    // No transaction is left open: the restarted slots fenced and aborted their predecessors'.
    const open = env.broker.logManager.partition(APP.output, 0)!;
    expect(open.lastStableOffset).toBe(open.highWatermark);
  });
});
