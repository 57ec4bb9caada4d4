/**
 * The tag handed to `RecordCollector.send` comes back to the failure callback with its own record
 * (a task sends every record of a node with one callback and the record's origin as the tag), on
 * every path a failure takes: a request split by `maxRequestRecords`, partitions the broker refused
 * (the rest acknowledged), a request refused as a whole re-sent in halves, and an interceptor that
 * replaces the record. Checked against a model: the tags of the records the broker refuses, in order.
 */
import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import { ProduceRefusedError } from '../../src/errors/produce-refused-error';
import type { Logger } from '../../src/logger';
import type { ProducerInterceptor } from '../../src/interceptors/producer-interceptor';
import type { OutgoingRecord } from '../../src/processor/internals/record-collector';
import { ProducerMetadata } from '../../src/processor/internals/producer-metadata';
import { RuntimeRecordCollector } from '../../src/processor/internals/runtime-record-collector';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Refuses records whose value starts with `bad`: in `partition` mode by partition (the others are
 * written and acknowledged, as Kafka answers per partition), otherwise the whole request.
 */
class Producer implements StreamsProducer {
  readonly requests: number[] = [];
  constructor(private readonly mode: 'partition' | 'request') {}
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async send(records: ProduceRecord[]): Promise<ProduceAck[]> {
    this.requests.push(records.length);
    const bad = (r: ProduceRecord) => r.value!.toString().startsWith('bad');
    if (this.mode === 'request') {
      if (records.some(bad)) throw new Error('RECORD_TOO_LARGE');
      return acksOf(records);
    }
    const refused = new Set(records.filter(bad).map((r) => r.partition!));
    if (refused.size === 0) return acksOf(records);
    throw new ProduceRefusedError(
      acksOf(records.filter((r) => !refused.has(r.partition!))),
      [...refused].map((partition) => ({ topic: 't', partition, error: new Error('RECORD_TOO_LARGE') })),
    );
  }
}

function acksOf(records: ProduceRecord[]): ProduceAck[] {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.partition!, (counts.get(r.partition!) ?? 0) + 1);
  return [...counts].map(([partition, count]) => ({ topic: 't', partition, baseOffset: 0, count }));
}

/** Copies every record it is handed (the collector then sends the copy). */
const copying: ProducerInterceptor = { onSend: (r) => ({ ...r }) };

function collector(producer: Producer, interceptors: ProducerInterceptor[] = []) {
  const metadata = new ProducerMetadata(new Map([['t', 4]]), async () => new Map(), 60_000, quiet);
  return new RuntimeRecordCollector(
    producer,
    { batchSize: 1000, maxRequestRecords: 7 },
    metadata,
    interceptors,
    quiet,
  );
}

/** 40 records over 4 partitions; `bad` ones spread over the requests. */
function records(): Array<{ record: OutgoingRecord; tag: { n: number } }> {
  return Array.from({ length: 40 }, (_, n) => ({
    record: {
      topic: 't',
      partition: n % 4,
      key: null,
      value: Buffer.from(n % 9 === 3 ? `bad${n}` : `ok${n}`),
      timestamp: n,
      headers: {},
    },
    tag: { n },
  }));
}

describe('record collector: failure tags', () => {
  for (const mode of ['partition', 'request'] as const)
    for (const intercepted of [false, true])
      it(`each failure gets its record's tag (${mode} refused${intercepted ? ', intercepted' : ''})`, async () => {
        const producer = new Producer(mode);
        const c = collector(producer, intercepted ? [copying] : []);
        const failures: Array<[string, unknown]> = [];
        const onFailure = (r: OutgoingRecord, _e: Error, tag: unknown) =>
          failures.push([r.value!.toString(), tag]);
        const sent = records();
        for (const { record, tag } of sent) c.send(record, onFailure, tag);
        await c.flush();
        // The model: every refused record, with the tag it was sent with. A refused partition's
        // records are re-sent in halves down to the refused one, so failures come in send order.
        const expected = sent
          .filter(({ record }) => record.value!.toString().startsWith('bad'))
          .map(({ record, tag }) => [record.value!.toString(), tag]);
        expect(expected.length).toBeGreaterThan(2);
        expect(failures).toEqual(expected);
        for (const [value, tag] of failures) expect(Number(value.slice(3))).toBe((tag as { n: number }).n);
        // The buffer was split by maxRequestRecords (the tags taken with their records).
        expect(producer.requests[0]).toBe(7);
        expect(producer.requests.reduce((a, b) => a + b, 0)).toBeGreaterThan(sent.length);
      });

  it('a record sent without a tag gets undefined', async () => {
    const c = collector(new Producer('request'));
    const tags: unknown[] = [];
    c.send(
      { topic: 't', partition: 0, key: null, value: Buffer.from('bad'), timestamp: 0, headers: {} },
      (_r, _e, tag) => tags.push(tag),
    );
    await c.flush();
    expect(tags).toEqual([undefined]);
  });
});
