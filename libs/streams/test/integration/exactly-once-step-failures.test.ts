/**
 * `exactly_once_v2` when one step of a transaction fails (in process, over the embedded broker):
 * the producer's `send`, `sendOffsetsToTransaction` (AddOffsetsToTxn + TxnOffsetCommit) or
 * `commitTransaction` (EndTxn) rejects once, before reaching the broker or, for the commit, after
 * the broker committed (the answer lost). Whatever failed, no output of a transaction that did not
 * commit may become visible and none may be lost: the read_committed output of the counting
 * topology holds every count 1..n exactly once, no transaction stays open, the instance recovers
 * in place, and after a restart on the same state directory it resumes exactly (the group's
 * committed offsets reach the input's end).
 */
import { Registry } from 'prom-client';
import { committedOffsets, startBroker, tempDir, waitFor, type TestBroker } from '@gmart/test-support';
import {
  Consumed,
  KafkaStreams,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  type KafkaClientFactory,
} from '../../src';
import { createClientFactory } from '../../src/client/create-client-factory';
import type { StreamsProducer } from '../../src/client/kafka-client';
import { CountingRun, expectEveryCountOnce } from '../helpers/eos-counting';

jest.setTimeout(120000);
const S = Serdes.String();
const silent = { debug() {}, info() {}, warn() {}, error() {} };

type Step = 'send' | 'sendOffsetsToTransaction' | 'commitTransaction' | 'commitTransaction-after';

/** Wraps the kafkajs client: the transactional producer's `step` rejects once while `armed`. */
function failingFactory(brokers: string[], clientId: string, state: { armed: Step | null; fired: number }) {
  const real = createClientFactory('kafkajs', { bootstrapServers: brokers, clientId, logger: silent });
  const factory: KafkaClientFactory = Object.create(real) as KafkaClientFactory;
  factory.producer = (options, settings) => {
    const p = real.producer(options, settings);
    if (!settings?.transactionalId) return p;
    const take = (step: Step) => {
      if (state.armed !== step) return false;
      state.armed = null;
      state.fired++;
      return true;
    };
    const injected = (step: Step) => new Error(`injected failure of ${step}`);
    const wrapped: StreamsProducer = {
      ...p,
      connect: () => p.connect(),
      disconnect: () => p.disconnect(),
      initTransactions: p.initTransactions && (() => p.initTransactions!()),
      beginTransaction: p.beginTransaction && (() => p.beginTransaction!()),
      abortTransaction: p.abortTransaction && (() => p.abortTransaction!()),
      send: (records) => (take('send') ? Promise.reject(injected('send')) : p.send(records)),
      sendOffsetsToTransaction: (offsets, group) =>
        take('sendOffsetsToTransaction')
          ? Promise.reject(injected('sendOffsetsToTransaction'))
          : p.sendOffsetsToTransaction!(offsets, group),
      commitTransaction: async () => {
        if (take('commitTransaction')) throw injected('commitTransaction');
        await p.commitTransaction!();
        if (take('commitTransaction-after')) throw injected('commitTransaction-after');
      },
    };
    return wrapped;
  };
  return factory;
}

function startCounting(env: TestBroker, run: CountingRun, stateDir: string, factory: KafkaClientFactory) {
  const builder = new StreamsBuilder();
  builder
    .stream(run.app.input, Consumed.with(S, S))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .mapValues((n) => String(n))
    .to(run.app.output, Produced.with(S, S));
  const streams = new KafkaStreams(builder.build(), {
    applicationId: run.app.applicationId,
    bootstrapServers: env.brokers,
    clientFactory: factory,
    processingGuarantee: 'exactly_once_v2',
    commitIntervalMs: 200,
    cacheMaxBytesBuffering: 0,
    stateDir,
    metricsRegistry: new Registry(),
    logger: silent,
    consumer: { maxWaitTimeInMs: 100 },
  });
  return streams;
}

describe('exactly_once_v2: one failing step of a transaction (embedded broker)', () => {
  let env: TestBroker;
  const open: KafkaStreams[] = [];

  beforeAll(async () => {
    env = await startBroker({ groupMinSessionTimeoutMs: 1000 });
  });
  afterAll(async () => {
    for (const s of open) await s.close({ timeoutMs: 10000 }).catch(() => undefined);
    await env?.broker.stop();
  });

  it.each<Step>(['sendOffsetsToTransaction', 'commitTransaction', 'commitTransaction-after', 'send'])(
    '%s fails once: every count exactly once, nothing left open, offsets at the end',
    async (step) => {
      const app = {
        applicationId: `eos-step-${step}`,
        input: `eos-step-in-${step}`,
        output: `eos-step-out-${step}`,
      };
      const run = await CountingRun.create(env, app, { keys: 10, partitions: 2 });
      const stateDir = tempDir('eos-step-');
      const state = { armed: null as Step | null, fired: 0 };
      let streams = startCounting(env, run, stateDir, failingFactory(env.brokers, app.applicationId, state));
      open.push(streams);
      await streams.start();
      await run.send(100);
      await waitFor(async () => (await run.committedOutput()).length === 100, 60000, 'the first 100 counts');

      state.armed = step;
      for (let i = 0; i < 5; i++) await run.send(40);
      await waitFor(() => state.fired === 1, 60000, `the injected failure of ${step}`);
      await run.send(60);
      // Waited for, then asserted: a duplicate would make the output longer, a loss keep it shorter.
      await waitFor(async () => (await run.committedOutput()).length >= run.produced, 60000).catch(
        () => undefined,
      );
      await waitFor(() => !run.openTransaction(), 30000).catch(() => undefined);
      const output = await run.committedOutput();
      expectEveryCountOnce(output, run.expected);
      expect(output.length).toBe(run.produced);
      expect(run.openTransaction()).toBe(false);
      // Recovered in place (Kafka Streams' TaskCorrupted/TaskMigrated handling), not stopped.
      expect(streams.state()).toBe('RUNNING');

      // A restart on the same state directory resumes exactly where the committed offsets are.
      await streams.close({ timeoutMs: 10000 });
      streams = startCounting(env, run, stateDir, failingFactory(env.brokers, app.applicationId, state));
      open.push(streams);
      await streams.start();
      await run.send(50);
      await waitFor(async () => (await run.committedOutput()).length >= run.produced, 60000).catch(
        () => undefined,
      );
      const after = await run.committedOutput();
      expectEveryCountOnce(after, run.expected);
      expect(after.length).toBe(run.produced);
      const committed = await committedOffsets(env.kafka, app.applicationId, app.input);
      const ends = [0, 1].map((p) => env.broker.logManager.partition(app.input, p)!.highWatermark);
      expect([0, 1].map((p) => committed.get(p))).toEqual(ends);
    },
  );
});
