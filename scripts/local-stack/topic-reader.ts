import type { Kafka } from 'kafkajs';

/** A record read back from a topic. */
export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
}

/** Sum of the high watermarks (records written, for a fresh topic) of a topic's partitions. */
export async function endOffsetSum(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((s, o) => s + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Polls until `topic` holds at least `count` records a read_committed consumer gets; throws on
 * timeout. High watermarks are checked first (cheap), but they also count transaction markers and
 * aborted records (a topic written under exactly_once_v2 has a marker after every transaction), so
 * once they reach `count` the records themselves are read and counted.
 */
export async function waitForRecords(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let have = 0;
  while (Date.now() < deadline) {
    have = await endOffsetSum(kafka, topic);
    if (have >= count) {
      have = (await readTopic(kafka, topic, Math.max(1000, deadline - Date.now()))).length;
      if (have >= count) return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${count} records on "${topic}" (have ${have})`);
}

/**
 * Reads every record of `topic` from the beginning up to the end offsets taken at the call, with a
 * throwaway consumer group (read_committed: records of aborted or still open transactions are not
 * returned). A topic written in transactions ends with a commit marker, a control record no
 * consumer ever receives: a partition is done when the consumer has moved past its end offset
 * minus one, whatever record (data, control or aborted) sits there.
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, high]) => high > 0).map(([p]) => p));
  const out: ReadRecord[] = [];
  if (pending.size === 0) return out;
  const consumer = kafka.consumer({
    // No decimal timestamp in the name: the broker logs group ids, and a 13-digit epoch passes the
    // Luhn check one time in ten, a false card number for the PAN scans of the logs.
    groupId: `reader-${topic}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
    maxBytes: 16 * 1024 * 1024,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `reading "${topic}" timed out with ${out.length} records (partitions not read to their end: ${[...pending].join(', ')})`,
            ),
          ),
        timeoutMs,
      );
      const moved = (partition: number, lastOffset: number) => {
        if (lastOffset >= (ends.get(partition) ?? 0) - 1) pending.delete(partition);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      // kafkajs calls eachBatch only for batches with records to hand over; a fetch holding only
      // control records or aborted ones is reported by this event alone (after eachBatch otherwise).
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) =>
        moved(e.payload.partition, Number(e.payload.lastOffset)),
      );
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const high = ends.get(batch.partition) ?? 0;
            for (const m of batch.messages) {
              const offset = Number(m.offset);
              if (offset >= high) break;
              const headers: Record<string, Buffer> = {};
              for (const [k, v] of Object.entries(m.headers ?? {})) {
                if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
              }
              out.push({
                topic,
                partition: batch.partition,
                offset,
                timestamp: Number(m.timestamp),
                key: m.key,
                value: m.value,
                headers,
              });
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
