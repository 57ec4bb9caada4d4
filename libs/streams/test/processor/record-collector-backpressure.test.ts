import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import type { Logger } from '../../src/logger';
import { ProducerMetadata } from '../../src/processor/internals/producer-metadata';
import { RuntimeRecordCollector } from '../../src/processor/internals/runtime-record-collector';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A producer that acknowledges a request only when the test releases it: what the collector holds
 * while the broker is slow is then exactly what the test has sent minus what was released.
 */
class HeldProducer implements StreamsProducer {
  readonly requests: ProduceRecord[][] = [];
  private releases: Array<() => void> = [];
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  send(records: ProduceRecord[]): Promise<ProduceAck[]> {
    this.requests.push(records);
    return new Promise((resolve) =>
      this.releases.push(() =>
        resolve(
          records.map((r, i) => ({ topic: r.topic, partition: r.partition ?? 0, baseOffset: i, count: 1 })),
        ),
      ),
    );
  }
  releaseAll(): void {
    const r = this.releases;
    this.releases = [];
    for (const f of r) f();
  }
}

function collector(producer: StreamsProducer, batchSize: number, maxRequestBytes?: number) {
  const metadata = new ProducerMetadata(
    new Map([['out', 1]]),
    async () => new Map([['out', 1]]),
    60_000,
    quiet,
  );
  return new RuntimeRecordCollector(producer, { batchSize, maxRequestBytes }, metadata, [], quiet);
}

const record = (valueBytes: number) => ({
  topic: 'out',
  partition: 0,
  key: null,
  value: Buffer.alloc(valueBytes),
  timestamp: 0,
  headers: {},
});

/** Sends until the collector asks the thread to wait; returns how many records it took. */
function sendUntilBackpressure(c: RuntimeRecordCollector, valueBytes: number, limit = 1_000_000): number {
  let n = 0;
  while (!c.needsBackpressure() && n < limit) {
    c.send(record(valueBytes), () => {});
    n++;
  }
  return n;
}

describe('record collector back-pressure (the bounds the streams README states)', () => {
  it.each([
    [10, 8192, 1000], // max(8 x 10, 1000, 16 x 8 KiB / 256 = 512)
    [500, 16384, 4000], // 8 x 500 (16 x 16 KiB / 256 = 1024)
    [10, 1024 * 1024, 65536], // 16 x 1 MiB / 256: a record cache's flush of small records is not stopped
  ])(
    'with producerBatchSize %i and max.request.size %i, small records: waits from %i buffered records',
    async (batchSize, maxRequestBytes, bound) => {
      const producer = new HeldProducer();
      const c = collector(producer, batchSize, maxRequestBytes);
      c.send(record(10), () => {});
      c.dispatch(); // one request in flight, held by the broker
      await new Promise((r) => setImmediate(r));
      expect(producer.requests).toHaveLength(1);
      expect(sendUntilBackpressure(c, 10)).toBe(bound);
    },
  );

  it('with large records: waits from 16 x max.request.size buffered bytes', () => {
    const producer = new HeldProducer();
    const c = collector(producer, 1_000_000, 1024 * 1024);
    c.send(record(10), () => {});
    c.dispatch();
    // 64 KiB values: 16 MiB / (64 KiB + overhead) records fit; the one that reaches 16 MiB trips it.
    const n = sendUntilBackpressure(c, 64 * 1024);
    const perRecord = 64 * 1024 + 24;
    expect(n).toBe(Math.ceil((16 * 1024 * 1024) / perRecord));
  });

  it('waitForCapacity resolves once acknowledgements bring the buffer under its bounds', async () => {
    const producer = new HeldProducer();
    const c = collector(producer, 10);
    c.send(record(10), () => {});
    c.dispatch();
    sendUntilBackpressure(c, 10);
    let waited = false;
    const wait = c.waitForCapacity().then(() => (waited = true));
    await new Promise((r) => setImmediate(r));
    expect(waited).toBe(false); // the broker has not acknowledged anything
    while (!waited) {
      producer.releaseAll();
      await new Promise((r) => setImmediate(r));
    }
    await wait;
    expect(c.needsBackpressure()).toBe(false);
  });
});
