import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import type { RuntimeRecordCollector } from '../../src/processor/internals/runtime-record-collector';
import { outCollector as collector } from '../helpers/out-collector';
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
          records.map((r, i) => ({ topic: r.topic, partition: r.partition ?? 0, baseOffset: i, count: 1 })),
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
  sent(): number[][] {
    return this.requests.map((r) => r.values);
  }
}

/** Lets the collector's promise chains run (setImmediate is not faked). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

let next = 0;
const send = (c: RuntimeRecordCollector, n: number) => {
  for (let i = 0; i < n; i++) {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(next++);
    c.send({ topic: 'out', partition: 0, key: null, value, timestamp: 0, headers: {} }, () => {});
  }
};
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('record collector linger (Kafka producer linger.ms)', () => {
  beforeEach(() => {
    next = 0;
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'], now: 1_000_000 });
  });
  afterEach(() => jest.useRealTimers());

  it('holds a buffer that is not full until its oldest record lingered lingerMs, then sends it all', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 100, lingerMs: 100 });
    send(c, 3);
    c.dispatch();
    await settle();
    jest.advanceTimersByTime(60);
    send(c, 2);
    c.dispatch();
    jest.advanceTimersByTime(39);
    await settle();
    expect(producer.sent()).toEqual([]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(producer.requests).toEqual([{ at: 1_000_100, values: range(0, 5) }]);
  });

  it('sends a full buffer at once', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 4, lingerMs: 100 });
    send(c, 4);
    await settle();
    expect(producer.requests).toEqual([{ at: 1_000_000, values: range(0, 4) }]);
  });

  it('flush() sends what lingers at once', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 100, lingerMs: 100 });
    send(c, 3);
    c.dispatch();
    jest.advanceTimersByTime(10);
    let flushed = false;
    const flush = c.flush().then(() => (flushed = true));
    await settle();
    expect(producer.requests).toEqual([{ at: 1_000_010, values: range(0, 3) }]);
    producer.ackNext();
    await flush;
    expect(flushed).toBe(true);
  });

  it('after an acknowledgement, what was buffered meanwhile lingers from its first record', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 4, lingerMs: 100 });
    send(c, 4); // full: sent at once
    await settle();
    jest.advanceTimersByTime(30);
    send(c, 2); // buffered at 30 ms behind the request in flight
    c.dispatch();
    jest.advanceTimersByTime(20);
    producer.ackNext(); // acknowledged at 50 ms: the two records wait until 130 ms
    await settle();
    expect(producer.sent()).toEqual([range(0, 4)]);
    jest.advanceTimersByTime(79);
    await settle();
    expect(producer.sent()).toEqual([range(0, 4)]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(producer.requests[1]).toEqual({ at: 1_000_130, values: [4, 5] });
  });

  it('after an acknowledgement, records that lingered long enough go at once', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 4, lingerMs: 100 });
    send(c, 4);
    send(c, 1);
    c.dispatch();
    jest.advanceTimersByTime(150);
    await settle();
    expect(producer.sent()).toEqual([range(0, 4)]);
    producer.ackNext();
    await settle();
    expect(producer.requests[1]).toEqual({ at: 1_000_150, values: [4] });
  });

  it('with lingerMs 0 (the collector default) dispatch() sends at once', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 100 });
    send(c, 3);
    c.dispatch();
    await settle();
    expect(producer.sent()).toEqual([range(0, 3)]);
  });

  it('random interleavings: in order, never early, never later than the model says', async () => {
    // Brute-force model: with lingerMs L and batchSize B, a request starts when none is in flight and
    // the buffer holds B records, a flush waits, or its oldest record was handed over L ms ago.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      next = 0;
      const producer = new StepProducer();
      const L = 1 + rnd(50);
      const B = 1 + rnd(6);
      const c = collector(producer, { batchSize: B, lingerMs: L });
      /** Records handed over and not in a request yet, with when each was. */
      const model: Array<{ value: number; at: number }> = [];
      /** Records taken into requests so far, and what each flush waits for (records handed over before it). */
      let taken = 0;
      const flushTargets: number[] = [];
      const flushing = () => flushTargets.some((t) => t > taken);
      const flushes: Promise<void>[] = [];
      for (let step = 0; step < 60; step++) {
        const op = rnd(5);
        if (op === 0) {
          const n = 1 + rnd(3);
          for (let i = 0; i < n; i++) model.push({ value: next + i, at: Date.now() });
          send(c, n);
          c.dispatch();
        } else if (op === 1) jest.advanceTimersByTime(1 + rnd(L));
        else if (op === 2) producer.ackNext();
        else if (op === 3) {
          flushTargets.push(next);
          flushes.push(c.flush());
        }
        await settle();
        // The requests started since the last step, against the model.
        for (const r of producer.requests.splice(0)) {
          const records = model.splice(0, r.values.length);
          expect(r.values).toEqual(records.map((m) => m.value));
          expect(r.values.length >= B || flushing() || r.at - records[0]!.at >= L).toBe(true);
          taken += r.values.length;
        }
        // Nothing the model says is due stays unsent while no request is in flight.
        if (producer.inFlight === 0 && model.length > 0)
          expect(model.length < B && !flushing() && Date.now() - model[0]!.at < L).toBe(true);
      }
      while (producer.inFlight > 0 || model.length > 0) {
        jest.advanceTimersByTime(L);
        producer.ackNext();
        await settle();
        for (const r of producer.requests.splice(0)) {
          expect(r.values).toEqual(model.splice(0, r.values.length).map((m) => m.value));
          taken += r.values.length;
        }
      }
      await Promise.all(flushes);
      expect(taken).toBe(next);
    }
  });
});

describe('producerLingerMs default', () => {
  const base = { applicationId: 'linger-default', bootstrapServers: ['localhost:9092'] };

  it('is 100 ms (Kafka Streams linger.ms) under both guarantees, as configured when set', () => {
    expect(resolveConfig(base).producerLingerMs).toBe(100);
    expect(resolveConfig({ ...base, processingGuarantee: 'at_least_once' }).producerLingerMs).toBe(100);
    expect(resolveConfig({ ...base, processingGuarantee: 'exactly_once_v2' }).producerLingerMs).toBe(100);
    expect(
      resolveConfig({ ...base, processingGuarantee: 'exactly_once_v2', producerLingerMs: 0 })
        .producerLingerMs,
    ).toBe(0);
    expect(resolveConfig({ ...base, producerLingerMs: 0 }).producerLingerMs).toBe(0);
  });
});
