/**
 * Producer interceptors with `onAcknowledgedRequest` get each acknowledged request in one call,
 * instead of one `onAcknowledgement` per record; failures still reach `onAcknowledgement` per
 * record, and interceptors without it keep getting every record's metadata. The metrics
 * interceptor reports the same series either way.
 */
import { Registry } from 'prom-client';
import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import type { Logger } from '../../src/logger';
import { MetricsProducerInterceptor } from '../../src';
import type {
  ProducerInterceptor,
  ProducerRecordMetadata,
} from '../../src/interceptors/producer-interceptor';
import type { OutgoingRecord } from '../../src/processor/internals/record-collector';
import { ProducerMetadata } from '../../src/processor/internals/producer-metadata';
import { RuntimeRecordCollector } from '../../src/processor/internals/runtime-record-collector';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Acknowledges every request at once, refusing any that holds a record whose value is `bad`. */
class Producer implements StreamsProducer {
  readonly requests: ProduceRecord[][] = [];
  private readonly next = new Map<string, number>();
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async send(records: ProduceRecord[]): Promise<ProduceAck[]> {
    this.requests.push(records);
    if (records.some((r) => r.value?.toString() === 'bad')) throw new Error('RECORD_TOO_LARGE');
    // One acknowledgement per partition, with the offset of its first record, as a broker answers.
    const acks = new Map<string, { -readonly [K in keyof ProduceAck]: ProduceAck[K] }>();
    for (const r of records) {
      const k = `${r.topic}/${r.partition}`;
      const a = acks.get(k);
      if (a) a.count++;
      else
        acks.set(k, { topic: r.topic, partition: r.partition!, baseOffset: this.next.get(k) ?? 0, count: 1 });
      this.next.set(k, (this.next.get(k) ?? 0) + 1);
    }
    return [...acks.values()];
  }
}

function collector(interceptors: ProducerInterceptor[], producer = new Producer()) {
  const metadata = new ProducerMetadata(
    new Map([
      ['a', 2],
      ['b', 1],
    ]),
    async () => new Map(),
    60_000,
    quiet,
  );
  return {
    c: new RuntimeRecordCollector(producer, { batchSize: 1000 }, metadata, interceptors, quiet),
    producer,
  };
}

const record = (topic: string, value: string, partition?: number): OutgoingRecord => ({
  topic,
  partition,
  key: null,
  value: Buffer.from(value),
  timestamp: 5,
  headers: {},
});

/** Records every call an interceptor gets. */
class Recording implements ProducerInterceptor {
  readonly perRecord: Array<{ md: ProducerRecordMetadata; error: string | null }> = [];
  readonly perRequest: Array<{ values: string[]; sendTimeMs: number }> = [];
  constructor(private readonly byRequest: boolean) {
    if (byRequest)
      this.onAcknowledgedRequest = (records, sendTimeMs) =>
        this.perRequest.push({ values: records.map((r) => r.value!.toString()), sendTimeMs });
  }
  onSend(r: OutgoingRecord): OutgoingRecord {
    return r;
  }
  onAcknowledgement(md: ProducerRecordMetadata, error: Error | null): void {
    this.perRecord.push({ md, error: error?.message ?? null });
  }
  onAcknowledgedRequest?: (records: readonly OutgoingRecord[], sendTimeMs: number) => void;
}

describe('record collector: interceptors acknowledged per request', () => {
  it('one call per acknowledged request; per-record interceptors beside it still get every offset', async () => {
    const byRequest = new Recording(true);
    const perRecord = new Recording(false);
    const { c, producer } = collector([byRequest, perRecord]);
    const before = Date.now();
    for (let i = 0; i < 5; i++) c.send(record(i % 2 ? 'a' : 'b', `v${i}`, i % 2 ? 1 : 0), () => {});
    await c.flush();
    for (let i = 5; i < 8; i++) c.send(record('a', `v${i}`, 0), () => {});
    await c.flush();
    expect(producer.requests).toHaveLength(2);
    expect(byRequest.perRequest.map((r) => r.values)).toEqual([
      ['v0', 'v1', 'v2', 'v3', 'v4'],
      ['v5', 'v6', 'v7'],
    ]);
    for (const r of byRequest.perRequest) {
      expect(r.sendTimeMs).toBeGreaterThanOrEqual(before);
      expect(r.sendTimeMs).toBeLessThanOrEqual(Date.now());
    }
    expect(byRequest.perRecord).toEqual([]);
    expect(perRecord.perRequest).toEqual([]);
    expect(perRecord.perRecord.map((x) => [x.md.topic, x.md.partition, x.md.offset, x.error])).toEqual([
      ['b', 0, 0, null],
      ['a', 1, 0, null],
      ['b', 0, 1, null],
      ['a', 1, 1, null],
      ['b', 0, 2, null],
      ['a', 0, 0, null],
      ['a', 0, 1, null],
      ['a', 0, 2, null],
    ]);
  });

  it('a refused record reaches onAcknowledgement with its error; the rest of its request is acknowledged by request', async () => {
    const byRequest = new Recording(true);
    const { c } = collector([byRequest]);
    const failures: string[] = [];
    for (const v of ['x0', 'x1', 'bad', 'x3'])
      c.send(record('a', v, 0), (r) => failures.push(r.value!.toString()));
    await c.flush();
    expect(failures).toEqual(['bad']);
    expect(byRequest.perRecord.map((x) => [x.md.serializedValueSize, x.error])).toEqual([
      [3, 'RECORD_TOO_LARGE'],
    ]);
    // Re-sent in halves, left first: [x0, x1] and then [x3] are acknowledged.
    expect(byRequest.perRequest.map((r) => r.values)).toEqual([['x0', 'x1'], ['x3']]);
  });

  it('MetricsProducerInterceptor reports through the collector what per-record acknowledgements report', async () => {
    const registry = new Registry();
    const metrics = new MetricsProducerInterceptor('c1', registry);
    const { c } = collector([metrics]);
    for (let i = 0; i < 50; i++) c.send(record(i % 3 === 0 ? 'b' : 'a', `v${i}`, 0), () => {});
    await c.flush();
    c.send(record('a', 'bad', 0), () => {});
    await c.flush();
    const values = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
    const count = (await values('kafka_producer_ack_latency_seconds')).filter(
      (v) => (v as { metricName?: string }).metricName === 'kafka_producer_ack_latency_seconds_count',
    );
    expect(Object.fromEntries(count.map((v) => [v.labels.topic, v.value]))).toEqual({ a: 33, b: 17 });
    const errors = await values('kafka_producer_record_error_total');
    expect(Object.fromEntries(errors.map((v) => [v.labels.topic, v.value]))).toEqual({ a: 1, b: 0 });
    const sends = await values('kafka_producer_record_send_total');
    expect(Object.fromEntries(sends.map((v) => [v.labels.topic, v.value]))).toEqual({ a: 34, b: 17 });
  });
});
