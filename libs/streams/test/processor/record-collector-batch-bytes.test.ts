import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import type { OutgoingRecord } from '../../src/processor/internals/record-collector';
import { ProducerMetadata } from '../../src/processor/internals/producer-metadata';
import {
  RuntimeRecordCollector,
  sizeOf,
  type RecordCollectorLimits,
} from '../../src/processor/internals/runtime-record-collector';
import { quiet } from '../helpers/out-collector';
import { resolveConfig } from '../../src/streams-config';

/** A producer whose requests the test acknowledges one by one, oldest first; it notes when each started. */
class StepProducer implements StreamsProducer {
  readonly requests: Array<{ at: number; values: number[] }> = [];
  private acks: Array<() => void> = [];
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  send(records: ProduceRecord[]): Promise<ProduceAck[]> {
    this.requests.push({ at: Date.now(), values: records.map((r) => r.value!.readUInt32BE(0)) });
    return new Promise((resolve) =>
      this.acks.push(() =>
        resolve(
          records.map((r) => ({ topic: r.topic, partition: r.partition ?? 0, baseOffset: 0, count: 1 })),
        ),
      ),
    );
  }
  get inFlight(): number {
    return this.acks.length;
  }
  ackNext(): void {
    this.acks.shift()?.();
  }
}

/** Sink topics of these tests: `a` with 4 partitions, `b` with 2. */
const PARTITIONS = new Map([
  ['a', 4],
  ['b', 2],
]);

function collector(producer: StreamsProducer, limits: RecordCollectorLimits): RuntimeRecordCollector {
  const metadata = new ProducerMetadata(PARTITIONS, async () => PARTITIONS, 60_000, quiet);
  return new RuntimeRecordCollector(producer, limits, metadata, [], quiet);
}

/** Lets the collector's promise chains run (setImmediate is not faked). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

let next = 0;
/** Record number `next` for `topic`/`partition`, its value `bytes` long (>= 4: the number first). */
function record(topic: string, partition: number, bytes: number): OutgoingRecord {
  const value = Buffer.alloc(Math.max(4, bytes));
  value.writeUInt32BE(next++);
  return { topic, partition, key: null, value, timestamp: 0, headers: {} };
}

describe("record collector: a partition's full batch (Kafka producer batch.size)", () => {
  beforeEach(() => {
    next = 0;
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'], now: 1_000_000 });
  });
  afterEach(() => jest.useRealTimers());

  it("sends at once, lingering or not, when one partition's records fill batchBytes, with every partition's records", async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 10_000, batchBytes: 1000, lingerMs: 100 });
    c.send(record('b', 1, 300), () => {});
    c.send(record('a', 0, 400), () => {});
    c.send(record('a', 0, 400), () => {});
    c.dispatch();
    await settle();
    expect(producer.requests).toEqual([]); // a-0 holds 848 estimated bytes: not full, lingers
    c.send(record('a', 0, 400), () => {});
    await settle();
    expect(producer.requests).toEqual([{ at: 1_000_000, values: [0, 1, 2, 3] }]);
  });

  it('lingers while no single partition is full, however many bytes all partitions hold together', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 10_000, batchBytes: 1000, lingerMs: 100 });
    for (let p = 0; p < 4; p++) c.send(record('a', p, 900), () => {});
    for (let p = 0; p < 2; p++) c.send(record('b', p, 900), () => {});
    c.dispatch();
    jest.advanceTimersByTime(99);
    await settle();
    expect(producer.requests).toEqual([]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(producer.requests).toEqual([{ at: 1_000_100, values: [0, 1, 2, 3, 4, 5] }]);
  });

  it('after an acknowledgement, a partition that filled meanwhile sends at once', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 10_000, batchBytes: 1000, lingerMs: 100 });
    c.send(record('a', 1, 2000), () => {}); // full alone: sent at once
    await settle();
    jest.advanceTimersByTime(10);
    c.send(record('a', 2, 600), () => {});
    c.send(record('a', 2, 600), () => {}); // a-2 full behind the request in flight
    c.send(record('b', 0, 10), () => {});
    c.dispatch();
    jest.advanceTimersByTime(10);
    producer.ackNext();
    await settle();
    expect(producer.requests).toEqual([
      { at: 1_000_000, values: [0] },
      { at: 1_000_020, values: [1, 2, 3] },
    ]);
  });

  it("random interleavings against a brute-force model of Kafka's ready rule: in order, never early, never left due", async () => {
    // The model (RecordAccumulator.ready, one node): with nothing in flight a request starts when a
    // partition's buffered bytes reach batchBytes, the buffer holds batchSize records or
    // maxRequestBytes, a flush waits, or its oldest record was handed over lingerMs ago; it takes
    // the buffer's front up to maxRequestBytes (at least one record), every partition's records.
    // Lingering counts from when the buffer was dispatched (the runtime dispatches after every
    // fetched batch; an acknowledgement dispatches what is left), so with lingerMs 0 a request that is
    // not full starts at the next dispatch.
    let seed = 11;
    const rnd = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const targets: Array<[string, number]> = [
      ['a', 0],
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['b', 0],
      ['b', 1],
    ];
    for (let round = 0; round < 60; round++) {
      next = 0;
      const producer = new StepProducer();
      const L = rnd(3) === 0 ? 0 : 1 + rnd(50);
      const B = 2 + rnd(30);
      const batchBytes = 200 + rnd(2000);
      const maxRequestBytes = rnd(2) === 0 ? 1_048_576 : batchBytes * (1 + rnd(3)) + rnd(500);
      const c = collector(producer, { batchSize: B, batchBytes, lingerMs: L, maxRequestBytes });
      type Held = { value: number; at: number; key: string; size: number };
      const model: Held[] = [];
      let taken = 0;
      const flushTargets: number[] = [];
      const flushing = () => flushTargets.some((t) => t > taken);
      const flushes: Promise<void>[] = [];
      /** The model's buffer was dispatched since it was last emptied. */
      let dispatched = false;
      const ready = (now: number): boolean => {
        if (model.length === 0) return false;
        const byPartition = new Map<string, number>();
        let bytes = 0;
        for (const m of model) {
          byPartition.set(m.key, (byPartition.get(m.key) ?? 0) + m.size);
          bytes += m.size;
        }
        return (
          [...byPartition.values()].some((b) => b >= batchBytes) ||
          model.length >= B ||
          bytes >= maxRequestBytes ||
          flushing() ||
          (dispatched && now - model[0]!.at >= L)
        );
      };
      /** How many records of the model's front the next request takes. */
      const takes = (): number => {
        let bytes = 0;
        let n = 0;
        while (n < model.length && (n === 0 || bytes + model[n]!.size <= maxRequestBytes))
          bytes += model[n++]!.size;
        return n;
      };
      const check = () => {
        // At most one request starts per step (one in flight): it started on the model's state now.
        const started = producer.requests.splice(0);
        expect(started.length).toBeLessThanOrEqual(1);
        for (const r of started) {
          expect(ready(r.at)).toBe(true);
          const n = takes();
          expect(r.values).toEqual(model.splice(0, n).map((m) => m.value));
          taken += n;
          // What the request left is dispatched when it is acknowledged.
          dispatched = false;
        }
        // Nothing the model says is due stays unsent while no request is in flight.
        if (producer.inFlight === 0) expect(ready(Date.now())).toBe(false);
      };
      for (let step = 0; step < 80; step++) {
        const op = rnd(6);
        if (op <= 1) {
          const [topic, partition] = targets[rnd(targets.length)]!;
          const r = record(topic, partition, 4 + rnd(700));
          model.push({ value: next - 1, at: Date.now(), key: `${topic}-${partition}`, size: sizeOf(r) });
          c.send(r, () => {});
          if (rnd(2) === 0) {
            c.dispatch();
            dispatched = true;
          }
        } else if (op === 2) {
          c.dispatch();
          dispatched = model.length > 0;
        } else if (op === 3) jest.advanceTimersByTime(1 + rnd(L + 1));
        else if (op === 4) {
          if (producer.inFlight > 0) dispatched = model.length > 0;
          producer.ackNext();
        } else {
          flushTargets.push(next);
          flushes.push(c.flush());
        }
        await settle();
        check();
      }
      while (producer.inFlight > 0 || model.length > 0) {
        c.dispatch();
        jest.advanceTimersByTime(L + 1);
        producer.ackNext();
        await settle();
        for (const r of producer.requests.splice(0)) {
          const n = takes();
          expect(r.values).toEqual(model.splice(0, n).map((m) => m.value));
          taken += n;
        }
      }
      await Promise.all(flushes);
      expect(taken).toBe(next);
    }
  });
});

describe('producerBatchBytes', () => {
  const base = { applicationId: 'batch-bytes', bootstrapServers: ['localhost:9092'] };

  it("defaults to Kafka's batch.size, 16384, and is validated", () => {
    expect(resolveConfig(base).producerBatchBytes).toBe(16384);
    expect(resolveConfig({ ...base, producerBatchBytes: 1000 }).producerBatchBytes).toBe(1000);
    expect(() => resolveConfig({ ...base, producerBatchBytes: 0 })).toThrow(/producerBatchBytes/);
  });
});
