import { kafkaFor } from './broker';

/**
 * Reads a whole topic (or one partition, `['-p', 'N']`) from the beginning to its end with a
 * kafkajs consumer over TCP, one line per record in kcat's `-f` notation: `%k` key, `%s` value,
 * `%o` offset (default `'%k=%s\n'`); a null key or value prints empty, or `NULL` with `['-Z']`.
 * Lines are ordered by partition, then offset. The end is each partition's high watermark when
 * the read starts (the record before it is always present: the active segment is never cleaned).
 */
export async function readLines(
  bootstrap: string,
  topic: string,
  format = '%k=%s\\n',
  extra: string[] = [],
  timeoutMs = 60_000,
): Promise<string[]> {
  const nulls = extra.includes('-Z') ? 'NULL' : '';
  const p = extra.indexOf('-p');
  const only = p >= 0 ? Number(extra[p + 1]) : undefined;
  const kafka = kafkaFor(bootstrap, 'read-lines');
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set(
    [...ends]
      .filter(([partition, high]) => high > 0 && (only === undefined || partition === only))
      .map(([q]) => q),
  );
  const records: { partition: number; offset: number; line: string }[] = [];
  if (pending.size > 0) {
    const consumer = kafka.consumer({
      groupId: `read-lines-${process.pid}-${Math.random().toString(36).slice(2)}`,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topic} timed out with ${records.length} records`)),
          timeoutMs,
        );
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              if (!pending.has(batch.partition)) return;
              const high = ends.get(batch.partition)!;
              for (const m of batch.messages) {
                const offset = Number(m.offset);
                if (offset >= high) break;
                const fields: Record<string, string> = {
                  k: m.key === null ? nulls : m.key.toString(),
                  s: m.value === null ? nulls : m.value.toString(),
                  o: String(offset),
                };
                const line = format.replace(/\\n$/, '').replace(/%([kso])/g, (_, f: string) => fields[f]!);
                records.push({ partition: batch.partition, offset, line });
                if (offset >= high - 1) pending.delete(batch.partition);
              }
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset).map((r) => r.line);
}
