/**
 * The patched kafkajs arms no timer on a connection whose request queue holds nothing pending
 * (tulios/kafkajs#1556, #1704): kafkajs 2.2.4 re-armed a check of the queue after every check, with
 * a negative delay (Node runs it after 1 ms) whenever it was not throttled, so every connection woke
 * its process about 1,000 times a second for nothing: an idle coupon-join process spent 730-830 ms
 * of CPU per 20 s on it, 240-270 ms without (the `gmart patch` in requestQueue/index.js).
 *
 * Over TCP against the embedded broker: a producer, a consumer and an admin client connect and
 * exchange requests, then nothing is sent for a while; the timers that kafkajs'
 * request queues create in that while are counted (by the stack that created them).
 */
import { createHook } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { createTopics, useBroker } from '@gmart/test-support';

jest.setTimeout(60000);

const getBroker = useBroker();

/** Counts the timers created from kafkajs' request queue (its check of pending requests) while enabled. */
function requestQueueTimers(): { count(): number; enable(): void; disable(): void } {
  let n = 0;
  const hook = createHook({
    init(_id, type) {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      if (stack.includes('requestQueue')) n++;
    },
  });
  return { count: () => n, enable: () => void hook.enable(), disable: () => void hook.disable() };
}

describe('kafkajs request queue (patched)', () => {
  it('arms no check of pending requests while nothing is pending', async () => {
    const { brokers } = getBroker();
    const topic = 'idle-request-queue';
    await createTopics(getBroker().kafka, [{ topic, numPartitions: 1 }]);
    const kafka = new Kafka({ brokers, clientId: 'idle-queue', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: 'idle-queue-group' });
    const admin = kafka.admin();
    const timers = requestQueueTimers();
    try {
      await Promise.all([producer.connect(), consumer.connect(), admin.connect()]);
      await producer.send({ topic, messages: [{ value: 'a' }] });
      await admin.fetchTopicOffsets(topic);
      // The request queues of every connection made so far have answered everything sent on them.
      timers.enable();
      await sleep(250);
      timers.disable();
      // kafkajs 2.2.4 arms one per connection per millisecond here (hundreds); the patch none.
      expect(timers.count()).toBe(0);
      // The queues still send what is pushed on them.
      await producer.send({ topic, messages: [{ value: 'b' }] });
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets[0]!.high).toBe('2');
    } finally {
      timers.disable();
      await Promise.allSettled([producer.disconnect(), consumer.disconnect(), admin.disconnect()]);
    }
  });
});
