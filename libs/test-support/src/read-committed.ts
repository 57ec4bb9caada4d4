import type { Kafka } from 'kafkajs';
import type { Consumed } from './consume';

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
