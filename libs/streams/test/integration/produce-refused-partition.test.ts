/**
 * A produce request the broker refuses for one partition only (a record larger than its topic's
 * `max.message.bytes`) while it appends the other partitions' batches, over TCP against the
 * embedded broker: Kafka's produce response reports per partition, so Kafka's producer fails only
 * the refused batch (RecordTooLargeException, not retriable) and completes the others.
 *
 * Two sink topics get every input record; one of them only 2,000 bytes per batch, and one input
 * becomes a 10,000-byte record there. Kafka Streams (RecordCollectorImpl#recordSendError) hands the
 * refused record to the ProductionExceptionHandler: CONTINUE drops it (dropped-records sensor),
 * FAIL makes the next send, flush or commit throw a StreamsException, and the thread dies. Under
 * exactly_once_v2 the failed batch leaves the producer's transaction in an abortable error state
 * (TransactionManager#handleFailedBatch): whatever the handler said, the transaction can only be
 * aborted, the commit throws (StreamsProducer#commitTransaction: "Error encountered trying to
 * commit a transaction"), and the thread dies to the uncaught exception handler (default: the
 * client shuts down in ERROR); nothing of the transaction becomes visible. It never loops.
 */
import { Registry } from 'prom-client';
import {
  Consumed,
  ErrorHandlerContext,
  HandlerResponse,
  KAFKA_CLIENTS,
  KafkaClientName,
  KafkaStreams,
  KafkaStreamsState,
  ProducedRecord,
  Produced,
  ProductionError,
  ProductionExceptionHandler,
  Serdes,
  StreamThreadExceptionResponse,
  StreamsBuilder,
  StreamsConfig,
} from '../../src';
import {
  committedOffsets,
  createTopics,
  produce,
  readCommitted,
  silentLogger,
  startBroker,
  waitFor,
} from '@gmart/test-support';

jest.setTimeout(120000);

const S = Serdes.String();
const INPUTS = 41;
/** The input that becomes a record too large for the limited sink topic. */
const BIG = 20;

/** A production handler that records what it was called for and answers `response`. */
class RecordingHandler implements ProductionExceptionHandler {
  readonly calls: Array<{ topic: string; partition: number | undefined; offset: number; error: string }> = [];
  constructor(private readonly response: HandlerResponse) {}
  handle(context: ErrorHandlerContext, record: ProducedRecord, error: Error): HandlerResponse {
    this.calls.push({
      topic: record.topic,
      partition: record.partition,
      offset: context.offset,
      error: error.name,
    });
    return this.response;
  }
}

describe.each(KAFKA_CLIENTS.map((c) => [c]))(
  'a produce request refused for one partition (%s)',
  (client: KafkaClientName) => {
    let env: Awaited<ReturnType<typeof startBroker>>;
    beforeAll(async () => {
      env = await startBroker();
    });
    afterAll(async () => {
      await env?.broker.stop();
    });

    async function run(name: string, handler: RecordingHandler, config: Partial<StreamsConfig> = {}) {
      await createTopics(env.kafka, [
        { topic: `${name}-in` },
        { topic: `${name}-all`, numPartitions: 2 },
        { topic: `${name}-limited`, numPartitions: 2, config: { 'max.message.bytes': '2000' } },
      ]);
      // Written before the application starts: its first fetch takes them all, one produce request.
      await produce(
        env.kafka,
        `${name}-in`,
        Array.from({ length: INPUTS }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      );
      const b = new StreamsBuilder();
      const input = b.stream(`${name}-in`, Consumed.with(S, S));
      input.to(`${name}-all`, Produced.with(S, S));
      input
        .mapValues((v) => (v === `v${BIG}` ? 'X'.repeat(10000) : v))
        .to(`${name}-limited`, Produced.with(S, S));
      const registry = new Registry();
      const warnings: string[] = [];
      const errors: Error[] = [];
      const streams = new KafkaStreams(b.build(), {
        applicationId: name,
        bootstrapServers: env.brokers,
        commitIntervalMs: 100,
        logger: { ...silentLogger, warn: (m: string) => void warnings.push(m) },
        metricsRegistry: registry,
        productionExceptionHandler: handler,
        kafkaClient: client,
        uncaughtExceptionHandler: (error) => {
          errors.push(error);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        },
        ...config,
      });
      await streams.start();
      return { streams, registry, warnings, errors };
    }

    const values = async (topic: string) =>
      (await readCommitted(env.kafka, topic)).map((r) => r.value!.toString()).sort();
    const expected = (skip?: number) =>
      Array.from({ length: INPUTS }, (_, i) => i)
        .filter((i) => i !== skip)
        .map((i) => `v${i}`)
        .sort();

    it('at-least-once, CONTINUE: every accepted record written exactly once, the refused one dropped and counted', async () => {
      const handler = new RecordingHandler(HandlerResponse.CONTINUE);
      const { streams, registry } = await run('refused-continue', handler);
      await waitFor(
        async () =>
          (await committedOffsets(env.kafka, 'refused-continue', 'refused-continue-in')).get(0) === INPUTS,
        30000,
        'commit past every input',
      );
      expect(streams.state()).toBe(KafkaStreamsState.RUNNING);
      await streams.close();
      // Before the fix: the whole request failed and was re-sent in halves, 120 records for 41 inputs.
      expect(await values('refused-continue-all')).toEqual(expected());
      expect(await values('refused-continue-limited')).toEqual(expected(BIG));
      expect(handler.calls).toEqual([
        {
          topic: 'refused-continue-limited',
          partition: expect.any(Number),
          offset: BIG,
          error: expect.any(String),
        },
      ]);
      const dropped = (await registry.getMetricsAsJSON()).find(
        (m) => m.name === 'kafka_stream_dropped_records_total',
      )!;
      expect(dropped.values.find((v) => v.labels.reason === 'production_error')?.value).toBe(1);
    });

    it('at-least-once, FAIL: the thread fails naming the topic and partition (never the value), nothing written twice', async () => {
      const handler = new RecordingHandler(HandlerResponse.FAIL);
      const { streams, errors } = await run('refused-fail', handler);
      await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 30000, 'ERROR state');
      await streams.close();
      expect(handler.calls.map((c) => c.offset)).toEqual([BIG]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ProductionError);
      expect(errors[0].message).toMatch(/topic "refused-fail-limited" partition [01] failed/);
      expect(errors[0].message).not.toContain('XXXX');
      // A commit may have come between two records before the refused one, never past it.
      expect(
        (await committedOffsets(env.kafka, 'refused-fail', 'refused-fail-in')).get(0),
      ).toBeLessThanOrEqual(BIG);
      for (const topic of ['refused-fail-all', 'refused-fail-limited']) {
        const written = await values(topic);
        expect(new Set(written).size).toBe(written.length);
        expect(written).not.toContain('X'.repeat(10000));
      }
    });

    it('exactly-once, CONTINUE: the handler drops the record once, the transaction is aborted and the thread dies (no loop)', async () => {
      const handler = new RecordingHandler(HandlerResponse.CONTINUE);
      const { streams, errors, warnings } = await run('refused-eos', handler, {
        processingGuarantee: 'exactly_once_v2',
      });
      await waitFor(() => streams.state() === KafkaStreamsState.ERROR, 30000, 'ERROR state');
      await streams.close();
      // Before the fix: the thread reset and reprocessed forever (RUNNING, the handler called hundreds of times).
      expect(handler.calls.map((c) => [c.topic, c.offset])).toEqual([['refused-eos-limited', BIG]]);
      expect(warnings.filter((w) => w.startsWith('Exactly-once:'))).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ProductionError);
      expect(errors[0].message).toMatch(/topic "refused-eos-limited" partition [01] failed in a transaction/);
      expect(errors[0].message).not.toContain('XXXX');
      // Transactions committed before the refused record's (a commit may come between two records)
      // hold the output of exactly the inputs their offsets cover; the refused record's is aborted.
      const committed = (await committedOffsets(env.kafka, 'refused-eos', 'refused-eos-in')).get(0)!;
      expect(committed).toBeLessThanOrEqual(BIG);
      const covered = Array.from({ length: Math.max(0, committed) }, (_, i) => `v${i}`).sort();
      expect(await values('refused-eos-all')).toEqual(covered);
      expect(await values('refused-eos-limited')).toEqual(covered);
    });
  },
);
