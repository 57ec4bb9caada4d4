/**
 * A zombie under `exactly_once_v2` with two sub-topologies (the input's task writes a repartition
 * topic, the counting task reads it), as the rewards service: instance A is SIGSTOPped past its
 * session timeout while input keeps flowing, B takes A's partitions; A is SIGCONTed while input
 * still flows. A wakes up fenced (its transaction was aborted by its timeout), closes its tasks
 * dirty and seeks to the committed offsets it reads then; B goes on committing past them until the
 * group rebalances. That seek belongs to A's lost membership: after A rejoins, the partitions it
 * gets start from the committed offsets (kafkajs patch), so no range of input is processed and
 * committed twice: the repartition topic holds every input record exactly once.
 */
import {
  createTopics,
  killChildApps,
  produce,
  readCommitted,
  sleep,
  startBroker,
  tempDir,
  waitFor,
  type TestBroker,
} from '@gmart/test-support';
import { startCountingInstance } from '../helpers/eos-counting';

jest.setTimeout(240000);

const KEYS = 40;
const PARTITIONS = 4;
const SESSION_TIMEOUT_MS = 6000;

describe('exactly_once_v2 on kafkajs: a zombie resumed while input flows, with a repartition topic', () => {
  const APP = { applicationId: 'zbr-app', input: 'zbr-in', output: 'zbr-out' };
  let env: TestBroker;

  beforeAll(async () => {
    // Timed-out transactions are swept every 500 ms: a transaction the zombie left open is aborted
    // (its epoch bumped) well before its session times out and B takes its partitions.
    env = await startBroker({
      groupMinSessionTimeoutMs: 1000,
      transactionAbortTimedOutIntervalMs: 500,
      clientId: 'zbr-test',
    });
  });

  afterAll(async () => {
    await killChildApps();
    await env?.broker.stop();
  });

  it('processes every input record once: the repartition topic holds each exactly once', async () => {
    await createTopics(env.kafka, [
      { topic: APP.input, numPartitions: PARTITIONS },
      { topic: APP.output, numPartitions: PARTITIONS },
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
      await produce(env.kafka, APP.input, records);
    };
    // Input flows in small chunks until stopped.
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        await send(50);
        await sleep(100);
      }
    })();
    const start = (slot: string) =>
      startCountingInstance(env.brokers, APP, slot, tempDir('zbr'), {
        EOS_DEBUG: '1',
        KAFKA_CLIENT: 'kafkajs',
        REPARTITION: '1',
        SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
        TRANSACTION_TIMEOUT_MS: '3000',
      });
    try {
      const a = start('zbr-a');
      const b = start('zbr-b');
      await waitFor(() => a.printed('RUNNING') > 0 && b.printed('RUNNING') > 0, 90000, 'A and B RUNNING');
      await waitFor(
        async () => (await readCommitted(env.kafka, APP.output)).length > 0,
        60000,
        'first output',
      );

      // A freezes past its session timeout; B takes its partitions and goes on.
      const bRuns = b.printed('RUNNING');
      a.signal('SIGSTOP');
      await sleep(SESSION_TIMEOUT_MS);
      await waitFor(() => b.printed('RUNNING') > bRuns, 90000, 'B to take over');
      await sleep(2000);

      // A wakes up while input keeps flowing, is fenced and rejoins.
      const aRuns = a.printed('RUNNING');
      a.signal('SIGCONT');
      await waitFor(() => a.printed('RUNNING') > aRuns, 90000, 'A to rejoin');
      await sleep(3000);
      flowing = false;
      await flow;

      const outLog = (p: number) => env.broker.logManager.partition(APP.output, p)!;
      const openTransaction = () =>
        Array.from({ length: PARTITIONS }, (_, p) => outLog(p)).some(
          (l) => l.lastStableOffset < l.highWatermark,
        );
      await waitFor(
        async () => (await readCommitted(env.kafka, APP.output)).length >= produced && !openTransaction(),
        120000,
        'all output committed',
      );
      // Anything beyond `produced` would be a duplicate: give it a moment to show up.
      await sleep(2000);
      // The first sub-topology's output (the repartition topic) holds every input record exactly
      // once: no range of input is processed and committed by two members.
      const repartition = [...env.broker.logManager.topicNames()].find(
        (t) => t.startsWith(APP.applicationId) && t.endsWith('-repartition'),
      )!;
      const values = (await readCommitted(env.kafka, repartition)).map((r) => r.value!.toString());
      expect({ distinct: new Set(values).size, records: values.length }).toEqual({
        distinct: produced,
        records: produced,
      });
      expect(a.alive && b.alive).toBe(true);
    } finally {
      flowing = false;
      await flow.catch(() => undefined);
    }
  });
});
