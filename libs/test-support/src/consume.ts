import type { Kafka } from 'kafkajs';

/** A record read back by {@link consume}. */
export interface Consumed {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The key as UTF-8 text. */
  readonly key: string | null;
  /** The key's bytes (for binary keys such as windowed ones). */
  readonly keyBytes: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * Reads `topic` from the beginning with a throwaway group until `count` records arrived, or until
 * `done(records)` says so when given (e.g. distinct values, since at-least-once may duplicate);
 * throws after `timeoutMs` naming how many arrived. The reader leaves its group before returning.
 */
export async function consume(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60_000,
  done?: (records: Consumed[]) => boolean,
): Promise<Consumed[]> {
  const out: Consumed[] = [];
  if (count === 0 && !done) return out;
  const c = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
  await c.connect();
  try {
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out with ${out.length}/${count} records on ${topic}`)),
        timeoutMs,
      );
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

/** A `done` predicate for {@link consume}: true once `n` distinct values were read (incremental). */
export function distinctValues(n: number, seen = new Set<string>()): (records: Consumed[]) => boolean {
  let cursor = 0;
  return (records) => {
    for (; cursor < records.length; cursor++) seen.add(String(records[cursor].value));
    return seen.size >= n;
  };
}
