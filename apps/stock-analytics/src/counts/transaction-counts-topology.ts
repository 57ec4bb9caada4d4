import { type StockTransaction, transactionSummaryKey } from '@gmart/gmart';
import {
  Grouped,
  KeyValue,
  type KStream,
  type KTable,
  Materialized,
  Named,
  Produced,
  Repartitioned,
  Serdes,
  SessionWindows,
  Stores,
  TimeWindows,
  type Windowed,
} from '@gmart/streams';
import { COUNTED_TRADE, countedTradeSerde } from './counted-trade';
import { customerPartitioner } from './customer-partitioner';
import { transactionCountOf } from './transaction-count';
import { transactionCountSerde } from './transaction-count-serde';

/** The seed's windows: 20 s of inactivity, 20 s tumbling, 20 s hopping by 5 s. */
export const TRANSACTION_WINDOWS = Object.freeze({
  inactivityGapMs: 20_000,
  sizeMs: 20_000,
  advanceMs: 5_000,
});

/** The seed's grace period, `grace(Duration.ofMinutes(2))`. */
export const DEFAULT_TRANSACTION_COUNTS_GRACE_MS = 120_000;

/**
 * How long the count stores keep a window or session: the seed's `until(fifteenMinutes)`, longer
 * when the window (or gap) plus the grace period needs more.
 */
export const TRANSACTION_COUNTS_RETENTION_MS = 15 * 60_000;

/** Stores of the windowed counts (`GET /customers/:customerId/transaction-counts`). */
export const TRANSACTION_COUNT_STORES = Object.freeze({
  session: 'transaction-counts-session-store',
  tumbling: 'transaction-counts-tumbling-store',
  hopping: 'transaction-counts-hopping-store',
});

/** Topics of the windowed counts. */
export interface TransactionCountTopics {
  readonly TRANSACTION_COUNTS_SESSION: string;
  readonly TRANSACTION_COUNTS_TUMBLING: string;
  readonly TRANSACTION_COUNTS_HOPPING: string;
}

function toTopic(table: KTable<Windowed<string>, number>, topic: string, name: string): void {
  table
    .toStream(Named.as(`${name}-to-stream`))
    .map(
      (w: Windowed<string>, c: number | null) => KeyValue.pair(w.key(), transactionCountOf(w, c)),
      Named.as(`${name}-as-count`),
    )
    .to(topic, Produced.with(Serdes.String(), transactionCountSerde()));
}

/**
 * The seed's customer transaction counts (chapter 5): transactions keyed by their
 * `TransactionSummary` (customer id + symbol, {@link transactionSummaryKey}) and counted in
 * session (20 s inactivity gap), tumbling (20 s) and hopping (20 s advancing by 5 s) windows, each
 * with `graceMs` for out-of-order records; every count update -> `transaction-counts-session`,
 * `-tumbling`, `-hopping`.
 *
 * The summaries go through one repartition topic (`transaction-summaries-by-customer`) partitioned
 * by customer id ({@link customerPartitioner}), so one instance holds all of a customer's counts and
 * `GET /customers/:customerId/transaction-counts` is answered by that one instance. The counts read
 * only the key and the timestamp, so each trade crosses it as a one-byte `CountedTrade`. Returns the
 * session-count table (the enrichment reads it).
 */
export function addTransactionCounts(
  transactions: KStream<string, StockTransaction>,
  topics: TransactionCountTopics,
  graceMs: number,
): KTable<Windowed<string>, number> {
  const countedSerde = countedTradeSerde();
  const grouped = transactions
    .map(
      (_k, t: StockTransaction) =>
        KeyValue.pair(
          transactionSummaryKey({ customerId: t.customerId, stockTicker: t.symbol }),
          COUNTED_TRADE,
        ),
      Named.as('transaction-summary-key'),
    )
    .repartition(
      Repartitioned.with(Serdes.String(), countedSerde)
        .withName('transaction-summaries-by-customer')
        .withStreamPartitioner(customerPartitioner()),
    )
    .groupByKey(Grouped.with(Serdes.String(), countedSerde));
  const { inactivityGapMs, sizeMs, advanceMs } = TRANSACTION_WINDOWS;
  // In-memory stores with changelogs (Kafka Streams' `Materialized.as(Stores.inMemoryWindowStore(...))`):
  // a few minutes of small counts, restored from the changelog at start (see the README).
  const retention = (minimum: number) => Math.max(TRANSACTION_COUNTS_RETENTION_MS, minimum);

  const session = grouped
    .windowedBy(SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, graceMs))
    .count(
      Materialized.as<string, number>(
        Stores.inMemorySessionStore(TRANSACTION_COUNT_STORES.session, retention(inactivityGapMs + graceMs)),
      ).withKeySerde(Serdes.String()),
    );
  toTopic(session, topics.TRANSACTION_COUNTS_SESSION, 'session-counts');

  const windowStore = (name: string) =>
    Materialized.as<string, number>(
      Stores.inMemoryWindowStore(name, retention(sizeMs + graceMs), sizeMs, false),
    ).withKeySerde(Serdes.String());
  const tumbling = grouped
    .windowedBy(TimeWindows.ofSizeAndGrace(sizeMs, graceMs))
    .count(windowStore(TRANSACTION_COUNT_STORES.tumbling));
  toTopic(tumbling, topics.TRANSACTION_COUNTS_TUMBLING, 'tumbling-counts');

  const hopping = grouped
    .windowedBy(TimeWindows.ofSizeAndGrace(sizeMs, graceMs).advanceBy(advanceMs))
    .count(windowStore(TRANSACTION_COUNT_STORES.hopping));
  toTopic(hopping, topics.TRANSACTION_COUNTS_HOPPING, 'hopping-counts');
  return session;
}
