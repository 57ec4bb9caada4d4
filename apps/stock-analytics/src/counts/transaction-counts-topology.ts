import { type StockTransaction, transactionSummaryKey } from '@gmart/gmart';
import {
  Grouped,
  KeyValue,
  type KStream,
  Materialized,
  Produced,
  Serdes,
  TimeWindows,
  type Windowed,
} from '@gmart/streams';
import { GmartSerdes } from '@gmart/gmart';

/** The seed's window sizes: 20 s tumbling, 20 s hopping by 5 s. */
export const TRANSACTION_WINDOWS = Object.freeze({ sizeMs: 20_000, advanceMs: 5_000 });

/** Stores of the windowed counts. */
export const TRANSACTION_COUNT_STORES = Object.freeze({
  tumbling: 'transaction-counts-tumbling-store',
  hopping: 'transaction-counts-hopping-store',
});

/** Topics of the windowed counts. */
export interface TransactionCountTopics {
  readonly TRANSACTION_COUNTS_TUMBLING: string;
  readonly TRANSACTION_COUNTS_HOPPING: string;
}

/** A windowed count as written to `transaction-counts-*`, keyed by `customerId|symbol`. */
export interface TransactionCount {
  readonly customerId: string;
  readonly stockTicker: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number | null;
}

function toCount(w: Windowed<string>, count: number | null): TransactionCount {
  const [customerId, stockTicker] = w.key().split('|') as [string, string];
  return { customerId, stockTicker, windowStart: w.window().start(), windowEnd: w.window().end(), count };
}

/**
 * The seed's customer transaction counts: transactions grouped by `TransactionSummary`
 * (customer id + symbol, {@link transactionSummaryKey}) and counted in tumbling (20 s) and
 * hopping (20 s advancing by 5 s) windows with `graceMs` for out-of-order records; each count
 * update -> `transaction-counts-tumbling|hopping`. Not wired into the service yet; the session
 * count is left out until the library's session merging matches Kafka Streams (see the README).
 */
export function addTransactionCounts(
  transactions: KStream<string, StockTransaction>,
  topics: TransactionCountTopics,
  graceMs: number,
): void {
  const grouped = transactions.groupBy(
    (_k, t: StockTransaction) => transactionSummaryKey({ customerId: t.customerId, stockTicker: t.symbol }),
    Grouped.with(Serdes.String(), GmartSerdes.StockTransaction({ validateOnSerialize: false })),
  );
  const countSerde = Serdes.Json<TransactionCount>();
  const out = () => Produced.with(Serdes.String(), countSerde);
  const { sizeMs, advanceMs } = TRANSACTION_WINDOWS;
  grouped
    .windowedBy(TimeWindows.ofSizeAndGrace(sizeMs, graceMs))
    .count(Materialized.as<string, number>(TRANSACTION_COUNT_STORES.tumbling).withKeySerde(Serdes.String()))
    .toStream()
    .map((w: Windowed<string>, c: number | null) => KeyValue.pair(w.key(), toCount(w, c)))
    .to(topics.TRANSACTION_COUNTS_TUMBLING, out());
  grouped
    .windowedBy(TimeWindows.ofSizeAndGrace(sizeMs, graceMs).advanceBy(advanceMs))
    .count(Materialized.as<string, number>(TRANSACTION_COUNT_STORES.hopping).withKeySerde(Serdes.String()))
    .toStream()
    .map((w: Windowed<string>, c: number | null) => KeyValue.pair(w.key(), toCount(w, c)))
    .to(topics.TRANSACTION_COUNTS_HOPPING, out());
}
