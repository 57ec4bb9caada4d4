import type { StockPerformance } from '@gmart/gmart';
import { type KeyValueStore, Serdes, type StoreBuilder, Stores } from '@gmart/streams';
import { stockPerformanceStoreSerde } from './stock-performance-store-serde';

/** Name of the performance store (the seed's `stock-performance-store`); its changelog is `<applicationId>-stock-performance-store-changelog`. */
export const STOCK_PERFORMANCE_STORE = 'stock-performance-store';

/** The performance store as the processor and the queries see it: symbol -> {@link StockPerformance}. */
export type StockPerformanceStore = KeyValueStore<string, StockPerformance>;

/**
 * Builder of the performance store: persistent (LMDB), changelog-backed, so a restarted instance
 * resumes with each symbol's 20-sample lookback. (The seed uses an in-memory store; a persistent
 * one keeps restarts cheap.) Cached like the DSL's stores: the changelog gets a symbol's latest
 * state per commit, not one record per trade. Values are in the binary form of
 * {@link stockPerformanceStoreSerde} (read and rewritten on every trade; JSON an earlier version
 * wrote is still read).
 */
export function stockPerformanceStoreBuilder(): StoreBuilder {
  return Stores.keyValueStoreBuilder(
    Stores.persistentKeyValueStore(STOCK_PERFORMANCE_STORE),
    Serdes.String(),
    stockPerformanceStoreSerde(),
  ).withCachingEnabled();
}
