import type { Serde } from '@gmart/streams';

/**
 * What the customer repartition (`transaction-summaries-by-customer`) carries for a trade: the
 * windowed counts read only a record's key (`customerId|symbol`) and timestamp, so the value is a
 * one-byte marker instead of the whole trade (no JSON written or parsed per trade).
 */
export type CountedTrade = 1;

/** The marker value. */
export const COUNTED_TRADE: CountedTrade = 1;

const MARKER_BYTES = Buffer.from([1]);

/**
 * Serde of {@link CountedTrade}: writes one byte; reads any non-null value as one trade (the whole
 * `StockTransaction` JSON an earlier version wrote to the repartition topic included), `null` as
 * `null`. The written buffer is shared: it is never modified.
 */
export function countedTradeSerde(): Serde<CountedTrade> {
  return {
    serializer: () => ({
      serialize: (_topic: string, value: CountedTrade | null) =>
        value === null || value === undefined ? null : MARKER_BYTES,
    }),
    deserializer: () => ({
      deserialize: (_topic: string, data: Buffer | null) =>
        data === null || data === undefined ? null : COUNTED_TRADE,
    }),
  };
}
