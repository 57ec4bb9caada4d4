import { GmartSerdes, type StockTicker } from '@gmart/gmart';
import {
  Consumed,
  Materialized,
  Printed,
  type PrintSink,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '@gmart/streams';
import { addShareVolume } from './volume/share-volume-topology';
import { addStockPerformance } from './performance/stock-performance-topology';
import {
  DEFAULT_TRANSACTION_COUNTS_GRACE_MS,
  type TransactionCountTopics,
  addTransactionCounts,
} from './counts/transaction-counts-topology';
import {
  type TransactionSummaryTopics,
  addTransactionSummaries,
} from './counts/transaction-summaries-topology';
import type { StockAnalyticsMetrics } from './stock-analytics-metrics';

/** Topic names the stock-analytics topology reads and writes. */
export interface StockAnalyticsTopics extends TransactionCountTopics, TransactionSummaryTopics {
  /** Stock transactions keyed by symbol (`stock-transactions`). */
  readonly STOCK_TRANSACTIONS: string;
  /** Ticker updates read as a KTable (`stock-ticker-table`, compacted). */
  readonly STOCK_TICKER_TABLE: string;
  /** Ticker updates read as a KStream (`stock-ticker-stream`). */
  readonly STOCK_TICKER_STREAM: string;
  /** Symbols over the differential threshold (`stock-performance`). */
  readonly STOCK_PERFORMANCE: string;
  /** Share volume per symbol (`share-volume`). */
  readonly SHARE_VOLUME: string;
  /** Top 5 symbols by volume per industry (`stock-volume-by-industry`). */
  readonly STOCK_VOLUME_BY_INDUSTRY: string;
}

/** Store of the ticker KTable (`GET` not exposed; its emissions are counted). */
export const STOCK_TICKER_STORE = 'stock-ticker-store';

/** A ticker update as printed: `XRX, price=18.5`. */
function tickerLine(symbol: string, ticker: StockTicker): string {
  return `${symbol}, price=${ticker?.price}`;
}

/** Options of {@link buildStockAnalyticsTopology}. */
export interface StockAnalyticsOptions {
  /** Fraction for the stock-performance threshold (0.02 = 2%). */
  readonly differentialThreshold?: number;
  /** Wall-clock interval of the performance punctuator (ms). */
  readonly punctuateIntervalMs?: number;
  /** Grace period of the transaction-count windows and sessions (ms; default 2 min, the seed's). */
  readonly transactionCountsGraceMs?: number;
  /** Print ticker updates with the seed's labels. */
  readonly printTicker?: boolean;
  /** Where printed lines go (default stdout). */
  readonly printSink?: PrintSink;
  readonly metrics?: StockAnalyticsMetrics;
}

/**
 * The stock-analytics application (one application id; `describe()` lists its sub-topologies):
 * - the ticker read as a KTable (`stock-ticker-table`, store `stock-ticker-store`) and as a KStream
 *   (`stock-ticker-stream`), both counted and, with `printTicker`, printed with the seed's labels
 *   `Stocks-KTable` / `Stocks-KStream` (the table emits per key per commit/cache flush, the stream
 *   every record: the effect of `cacheMaxBytesBuffering` and `commitIntervalMs`);
 * - share volume per symbol and the top 5 by industry ({@link addShareVolume}) -> `share-volume`,
 *   `stock-volume-by-industry`;
 * - customer transaction counts in session, tumbling and hopping windows
 *   ({@link addTransactionCounts}) -> `transaction-counts-session|tumbling|hopping`, and the session
 *   counts enriched from the `companies` and `clients` GlobalKTables
 *   ({@link addTransactionSummaries}) -> `transaction-summaries`;
 * - stock performance with the Processor API on the transactions' source node `stocks-source`
 *   ({@link addStockPerformance}) -> `stock-performance`.
 */
export function buildStockAnalyticsTopology(
  topics: StockAnalyticsTopics,
  options: StockAnalyticsOptions = {},
): Topology {
  const builder = new StreamsBuilder();
  const metrics = options.metrics;

  // The transactions are read once (a topic feeds one source node); the Processor API nodes
  // hang on this source. A null value (tombstone) is bad input on this topic of events: a
  // deserialization error saying so (the dead-letter topic with that reason), not a null trade.
  const transactions = builder.stream(
    topics.STOCK_TRANSACTIONS,
    Consumed.with(Serdes.String(), GmartSerdes.StockTransaction({ nullValues: 'reject' })).withName(
      'stocks-source',
    ),
  );
  addShareVolume(transactions, topics);
  const sessionCounts = addTransactionCounts(
    transactions,
    topics,
    options.transactionCountsGraceMs ?? DEFAULT_TRANSACTION_COUNTS_GRACE_MS,
  );
  addTransactionSummaries(builder, sessionCounts, topics);

  const tickerTable = builder
    .table(
      topics.STOCK_TICKER_TABLE,
      Consumed.with(Serdes.String(), GmartSerdes.StockTicker()).withName('ticker-table'),
      Materialized.as<string, StockTicker>(STOCK_TICKER_STORE)
        .withKeySerde(Serdes.String())
        .withValueSerde(GmartSerdes.StockTicker()),
    )
    .toStream()
    .peek(() => metrics?.tickerUpdates.inc({ view: 'table' }));

  const tickerStream = builder
    .stream(
      topics.STOCK_TICKER_STREAM,
      Consumed.with(Serdes.String(), GmartSerdes.StockTicker()).withName('ticker-stream-source'),
    )
    .peek(() => metrics?.tickerUpdates.inc({ view: 'stream' }));
  if (options.printTicker) {
    const tablePrinted = options.printSink
      ? Printed.to<string, StockTicker>(options.printSink)
      : Printed.toSysOut<string, StockTicker>();
    tickerTable.print(tablePrinted.withLabel('Stocks-KTable').withKeyValueMapper(tickerLine));
    const printed = options.printSink
      ? Printed.to<string, StockTicker>(options.printSink)
      : Printed.toSysOut<string, StockTicker>();
    tickerStream.print(printed.withLabel('Stocks-KStream').withKeyValueMapper(tickerLine));
  }

  const topology = builder.build();
  addStockPerformance(topology, {
    parentName: 'stocks-source',
    outputTopic: topics.STOCK_PERFORMANCE,
    ...(options.differentialThreshold !== undefined
      ? { differentialThreshold: options.differentialThreshold }
      : {}),
    ...(options.punctuateIntervalMs !== undefined
      ? { punctuateIntervalMs: options.punctuateIntervalMs }
      : {}),
    ...(metrics
      ? {
          onPunctuate: (n: number) => {
            metrics.punctuations.inc();
            metrics.performanceForwarded.inc(n);
          },
        }
      : {}),
  });
  return topology;
}
