import { type Purchase, PurchaseGenerator, purchaseToJson } from '@gmart/gmart';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';

/** A raw purchase as the generator writes it to `transactions` (card number in clear), keyed by a unique id. */
export interface PurchaseRecord {
  readonly key: string;
  readonly value: string;
  readonly purchase: Purchase;
}

/**
 * `count` generated purchases (`@gmart/gmart`'s `PurchaseGenerator`, deterministic for `seed`),
 * each keyed `<prefix>-<n>`: masking keeps the key, so it identifies the purchase downstream.
 */
export function purchaseRecords(
  prefix: string,
  count: number,
  seed: number,
  customers = 500,
): PurchaseRecord[] {
  return new PurchaseGenerator({ seed, customers }).take(count).map((purchase, i) => ({
    key: `${prefix}-${i}`,
    value: JSON.stringify(purchaseToJson(purchase)),
    purchase,
  }));
}

/** Options of {@link produceAcknowledged}. */
export interface ProduceOptions {
  /** Records per request (default 500). */
  readonly chunk?: number;
  /** Pause between requests in ms (default 0): a steady load instead of a burst. */
  readonly pauseMs?: number;
  /** Called after each acknowledged request with the number acknowledged so far. */
  readonly onAcked?: (acked: number) => void;
  /** Give up after this long in ms (default 300000). */
  readonly timeoutMs?: number;
}

/**
 * Writes `records` to `topic` with acks=all, a request at a time, and returns the keys the broker
 * acknowledged. A failed request (broker down, leader moving) is retried until it is
 * acknowledged, so every record ends up acknowledged; a retried request may have been written
 * before it failed, so a topic can hold a record twice (counted by the scenarios as duplicates,
 * never as lost).
 */
export async function produceAcknowledged(
  kafka: Kafka,
  topic: string,
  records: ReadonlyArray<{ key: string | null; value: string | Buffer | null }>,
  options: ProduceOptions = {},
): Promise<{ acked: number; failedRequests: number }> {
  const chunk = options.chunk ?? 500;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let producer: Producer | undefined;
  let acked = 0;
  let failedRequests = 0;
  try {
    for (let i = 0; i < records.length; i += chunk) {
      const messages = records.slice(i, i + chunk).map((r) => ({ key: r.key, value: r.value }));
      for (;;) {
        try {
          if (!producer) {
            producer = kafka.producer({
              createPartitioner: Partitioners.DefaultPartitioner,
              retry: { retries: 2, initialRetryTime: 200 },
            });
            await producer.connect();
          }
          await producer.send({ topic, acks: -1, messages });
          break;
        } catch (err) {
          failedRequests++;
          if (Date.now() > deadline)
            throw new Error(
              `producing to ${topic}: ${(err as Error).message} (gave up after ${acked} acked)`,
            );
          await producer?.disconnect().catch(() => undefined);
          producer = undefined;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      acked += messages.length;
      options.onAcked?.(acked);
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  } finally {
    await producer?.disconnect().catch(() => undefined);
  }
  return { acked, failedRequests };
}
