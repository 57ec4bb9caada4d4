import type { ProduceAck, ProduceRecord, StreamsProducer } from '../../src/client/kafka-client';
import type { RuntimeRecordCollector } from '../../src/processor/internals/runtime-record-collector';
import { outCollector as collector } from '../helpers/out-collector';

/** A producer whose requests the test acknowledges one by one, oldest first. */
class StepProducer implements StreamsProducer {
  readonly requests: ProduceRecord[][] = [];
  private acks: Array<() => void> = [];
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  send(records: ProduceRecord[]): Promise<ProduceAck[]> {
    this.requests.push(records);
    return new Promise((resolve) =>
      this.acks.push(() =>
        resolve(
          records.map((r, i) => ({ topic: r.topic, partition: r.partition ?? 0, baseOffset: i, count: 1 })),
        ),
      ),
    );
  }
  ackNext(): void {
    this.acks.shift()?.();
  }
  /** Values (as numbers) of every request so far, request by request. */
  sent(): number[][] {
    return this.requests.map((rs) => rs.map((r) => r.value!.readUInt32BE(0)));
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function value(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

const send = (c: RuntimeRecordCollector, from: number, to: number) => {
  for (let n = from; n < to; n++)
    c.send({ topic: 'out', partition: 0, key: null, value: value(n), timestamp: 0, headers: {} }, () => {});
};

describe('record collector hold (exactly-once: processing beside a commit)', () => {
  it('flush waits for the records before hold(); later ones go only after release(), in order', async () => {
    const producer = new StepProducer();
    // Requests of at most 3 records: the records before the hold need two requests.
    const c = collector(producer, { batchSize: 1000, maxRequestRecords: 3 });
    send(c, 0, 5);
    c.hold();
    send(c, 5, 9);
    let flushed = false;
    const flush = c.flush().then(() => (flushed = true));
    await tick();
    expect(producer.sent()).toEqual([[0, 1, 2]]);
    producer.ackNext();
    await tick();
    // The second request stops at the hold: 5.. stay although the request could take one more.
    expect(producer.sent()).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(flushed).toBe(false);
    producer.ackNext();
    await flush;
    expect(flushed).toBe(true);
    // Held records are not sent, even when a request could go.
    send(c, 9, 10);
    c.dispatch();
    await tick();
    expect(producer.sent()).toHaveLength(2);
    c.release();
    await tick();
    expect(producer.sent()).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6, 7],
    ]);
    producer.ackNext();
    await tick();
    expect(producer.sent()[3]).toEqual([8, 9]);
    producer.ackNext();
    await c.flush();
    expect(c.pendingCount).toBe(0);
  });

  it('waitForCapacity waits for release() while only held records fill the buffer', async () => {
    const producer = new StepProducer();
    // max(8 x 10, 1000, 16 x 8 KiB / 256 = 512): the bound
    const c = collector(producer, { batchSize: 10, maxRequestBytes: 8192 });
    c.hold();
    send(c, 0, 1000);
    expect(c.needsBackpressure()).toBe(true);
    let resumed = false;
    const wait = c.waitForCapacity().then(() => (resumed = true));
    await tick();
    expect(resumed).toBe(false);
    expect(producer.requests).toHaveLength(0);
    c.release();
    await tick();
    expect(producer.requests).toHaveLength(1);
    producer.ackNext();
    await wait;
    expect(resumed).toBe(true);
  });

  it('abandon() drops the held records unsent and wakes whoever waits for them', async () => {
    const producer = new StepProducer();
    const c = collector(producer, { batchSize: 10 });
    send(c, 0, 2);
    c.hold();
    send(c, 2, 1000);
    const flush = c.flush();
    const wait = c.waitForCapacity();
    await tick();
    expect(producer.sent()).toEqual([[0, 1]]);
    producer.ackNext();
    await flush;
    c.abandon();
    await wait;
    expect(c.needsBackpressure()).toBe(false);
    expect(c.pendingCount).toBe(0);
    send(c, 1000, 1001);
    c.dispatch();
    await tick();
    expect(producer.sent()).toEqual([[0, 1]]);
  });
});
