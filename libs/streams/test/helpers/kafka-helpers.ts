import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export type Broker = Awaited<ReturnType<typeof EmbeddedKafka.start>>;

export async function startBroker(): Promise<{ broker: Broker; brokers: string[]; kafka: Kafka }> {
  const broker = await EmbeddedKafka.start({ port: 0, groupInitialRebalanceDelayMs: 0 });
  const bs = (broker as unknown as { bootstrapServers: string | string[] }).bootstrapServers;
  const brokers = Array.isArray(bs) ? bs : bs.split(',');
  return {
    broker,
    brokers,
    kafka: new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'test-helper' }),
  };
}

export async function createTopics(
  kafka: Kafka,
  topics: Array<{ topic: string; numPartitions?: number; config?: Record<string, string> }>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions ?? 1,
        replicationFactor: 1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(
  kafka: Kafka,
  topic: string,
  records: Array<{
    key: string | null;
    value: string | Buffer | null;
    partition?: number;
    timestamp?: string;
  }>,
): Promise<void> {
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  try {
    for (let i = 0; i < records.length; i += 1000)
      await p.send({ topic, acks: -1, messages: records.slice(i, i + 1000) });
  } finally {
    await p.disconnect();
  }
}

export interface Consumed {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  /** The key's bytes (for binary keys such as windowed ones). */
  keyBytes: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning until `count` records arrived, or until `done(records)` says so
 * when given (e.g. distinct values, since at-least-once may duplicate), or the timeout.
 */
export async function consume(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60000,
  done?: (records: Consumed[]) => boolean,
): Promise<Consumed[]> {
  const c = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  const out: Consumed[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out with ${out.length}/${count} records on ${topic}`)),
        timeoutMs,
      );
      if (count === 0) {
        clearTimeout(timer);
        resolve();
      }
      c.run({
        eachMessage: async ({ topic: t, partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          out.push({
            topic: t,
            partition,
            offset: Number(message.offset),
            key: message.key ? message.key.toString() : null,
            keyBytes: message.key ?? null,
            value: message.value,
            headers,
          });
          if (done ? done(out) : out.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
  } finally {
    await c.disconnect();
  }
  return out;
}

export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const res = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(res[0].partitions.map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 60000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A `done` predicate for `consume`: true once `n` distinct values were read (incremental). */
export function distinctValues(n: number, seen = new Set<string>()): (records: Consumed[]) => boolean {
  let cursor = 0;
  return (records) => {
    for (; cursor < records.length; cursor++) seen.add(records[cursor].value!.toString());
    return seen.size >= n;
  };
}

/**
 * Every committed record of `topic` up to its end offsets now (read_committed), in offset order per
 * partition. A topic written in transactions ends with a commit/abort marker that no consumer is
 * handed: a partition is done once the consumer moved past end offset - 1, whatever sits there.
 */
export async function readCommitted(kafka: Kafka, topic: string, timeoutMs = 60000): Promise<Consumed[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  const out: Consumed[] = [];
  if (pending.size === 0) return out;
  const c = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out reading ${topic} to its end (${out.length} records)`)),
        timeoutMs,
      );
      // Reported for every fetched batch, also one holding only markers or aborted records.
      c.on(c.events.END_BATCH_PROCESS, (e) => {
        if (Number(e.payload.lastOffset) >= (ends.get(e.payload.partition) ?? 0) - 1)
          pending.delete(e.payload.partition);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.run({
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition) ?? 0;
          for (const m of batch.messages) {
            if (Number(m.offset) >= end) break;
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
            out.push({
              topic,
              partition: batch.partition,
              offset: Number(m.offset),
              key: m.key ? m.key.toString() : null,
              keyBytes: m.key ?? null,
              value: m.value,
              headers,
            });
          }
        },
      }).catch(reject);
    });
  } finally {
    await c.disconnect();
  }
  return out;
}
