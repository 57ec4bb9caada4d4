/**
 * Plain produce and consume with each Kafka client the streams runtime supports, through the
 * clients' own APIs (not the runtime's seam): the reference a streams case is measured against in
 * the same run, and the produce / consume cases of `npm run bench:clients`. Both sides use their
 * client's defaults except acks=all and a 50 ms fetch wait.
 */
import { Kafka, logLevel, Partitioners, type Consumer as KafkajsConsumer } from 'kafkajs';
import type { KafkaClientName } from '@gmart/streams';
import type { Consumer, Producer } from '@platformatic/kafka' with { 'resolution-mode': 'import' };

/** A record to produce (explicit partition optional; timestamp in ms, default now). */
export interface BenchMessage {
  key?: Buffer;
  value: Buffer;
  partition?: number;
  timestamp?: number;
}

/** A running consumer counting the records of a topic from its beginning. */
export interface Arrivals {
  count(): number;
  /** Arrival time minus record timestamp, per record (ms). */
  readonly latencies: number[];
  /** Date.now() of the first and last arrival (0 before any). */
  first(): number;
  last(): number;
  stop(): Promise<void>;
}

const FETCH_WAIT_MS = 50;
const IN_FLIGHT = 4;

/** A connected producer of one client. */
export interface RawProducer {
  /** Sends `messages` (acks=all); a message without timestamp gets the time of the call. */
  send(topic: string, messages: readonly BenchMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** Produce and consume with one client. */
export interface RawClient {
  readonly name: KafkaClientName;
  producer(): Promise<RawProducer>;
  /** Joins a fresh group on `topic` from the beginning; resolves once the group has assigned it. */
  arrivals(topic: string): Promise<Arrivals>;
}

/**
 * Sends `messages` in chunks of `chunk` records, at most 4 sends in flight, acks=all; with
 * `perSecond`, chunks of a twentieth of it, each when due.
 */
export async function produceAll(
  client: RawClient,
  topic: string,
  messages: readonly BenchMessage[],
  options: { chunk?: number; perSecond?: number } = {},
): Promise<void> {
  const { perSecond } = options;
  const chunk = perSecond ? Math.max(1, Math.round(perSecond / 20)) : (options.chunk ?? 1000);
  const producer = await client.producer();
  try {
    const started = Date.now();
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < messages.length; i += chunk) {
      if (perSecond) {
        const due = started + (i / perSecond) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      inFlight.push(producer.send(topic, messages.slice(i, i + chunk)));
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await producer.close();
  }
}

/** The kafkajs client (kafkajs 2.2.4 as patched at install). */
export function kafkajsClient(brokers: string[]): RawClient {
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers, logLevel: logLevel.NOTHING });
  return {
    name: 'kafkajs',
    async producer() {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      return {
        async send(topic, messages) {
          const now = String(Date.now());
          await producer.send({
            topic,
            acks: -1,
            messages: messages.map((m) => ({
              key: m.key,
              value: m.value,
              partition: m.partition,
              timestamp: m.timestamp === undefined ? now : String(m.timestamp),
            })),
          });
        },
        close: () => producer.disconnect(),
      };
    },
    async arrivals(topic) {
      const consumer: KafkajsConsumer = kafka.consumer({
        groupId: `bench-arrivals-${topic}-${Date.now()}`,
        maxWaitTimeInMs: FETCH_WAIT_MS,
      });
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let n = 0;
      let first = 0;
      let last = 0;
      const latencies: number[] = [];
      await consumer.run({
        eachBatch: async ({ batch }) => {
          const now = Date.now();
          if (n === 0) first = now;
          last = now;
          for (const m of batch.messages) latencies.push(now - Number(m.timestamp));
          n += batch.messages.length;
        },
      });
      await until(() => joined, 60_000, `kafkajs consumer of ${topic} to join`);
      return {
        count: () => n,
        latencies,
        first: () => first,
        last: () => last,
        stop: () => consumer.disconnect(),
      };
    },
  };
}

/** The @platformatic/kafka client. */
export function platformaticClient(brokers: string[]): RawClient {
  // An ES module: loaded with require (Node >= 22.12), as the runtime's seam does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const platformatic = require('@platformatic/kafka') as {
    Producer: typeof Producer;
    Consumer: typeof Consumer;
  };
  return {
    name: 'platformatic',
    async producer() {
      const producer = new platformatic.Producer({
        clientId: 'bench-platformatic',
        bootstrapBrokers: brokers,
      });
      return {
        async send(topic, messages) {
          const now = BigInt(Date.now());
          await producer.send({
            acks: -1,
            messages: messages.map((m) => ({
              topic,
              key: m.key,
              value: m.value,
              partition: m.partition,
              timestamp: m.timestamp === undefined ? now : BigInt(m.timestamp),
            })),
          });
        },
        close: () => producer.close(),
      };
    },
    async arrivals(topic) {
      const consumer = new platformatic.Consumer({
        clientId: 'bench-platformatic',
        bootstrapBrokers: brokers,
        groupId: `bench-arrivals-${topic}-${Date.now()}`,
        maxWaitTime: FETCH_WAIT_MS,
      });
      let joined = false;
      consumer.on('consumer:group:join', () => (joined = true));
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      let n = 0;
      let first = 0;
      let last = 0;
      const latencies: number[] = [];
      stream.on('data', (m: { timestamp: bigint }) => {
        const now = Date.now();
        if (n === 0) first = now;
        last = now;
        latencies.push(now - Number(m.timestamp));
        n++;
      });
      await until(() => joined, 60_000, `platformatic consumer of ${topic} to join`);
      return {
        count: () => n,
        latencies,
        first: () => first,
        last: () => last,
        stop: async () => {
          await stream.close();
          await consumer.close(true);
        },
      };
    },
  };
}

/** The raw client of a name. */
export function rawClient(name: KafkaClientName, brokers: string[]): RawClient {
  return name === 'platformatic' ? platformaticClient(brokers) : kafkajsClient(brokers);
}

/** Waits until `test` holds, polling every 10 ms. */
export async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
