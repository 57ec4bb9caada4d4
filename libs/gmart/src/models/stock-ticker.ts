import { z } from 'zod';
import { sharePriceField, symbolField } from './stock-transaction';

/** Schema of a {@link StockTicker} update (same in memory and in JSON). */
export const StockTickerSchema = z.object({ symbol: symbolField, price: sharePriceField });

/**
 * A ticker update (the seed's `StockTickerData`): the latest `price` of `symbol`. Keyed by symbol on
 * `stock-ticker-table` (compacted, read as a KTable) and `stock-ticker-stream` (read as a KStream).
 */
export type StockTicker = z.infer<typeof StockTickerSchema>;
