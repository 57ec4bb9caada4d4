import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import type { StockPerformance } from '@gmart/gmart';
import {
  InteractiveQueries,
  localQueryFlag,
  rejectUnknownQuery,
  wholeNumberQuery,
  type RawQuery,
} from '@gmart/nest-streams';
import { QueryableStoreTypes, type ReadOnlyKeyValueStore, Serdes } from '@gmart/streams';
import { STOCK_PERFORMANCE_STORE } from './performance/stock-performance-store';

const SYMBOL = /^[A-Z0-9.-]{1,10}$/;
const MAX_TOP = 100;

/** A symbol's performance as the HTTP API shows it (the lookback samples left out). */
export interface StockPerformanceView {
  readonly symbol: string;
  readonly samples: number;
  readonly currentPrice: number;
  readonly currentAveragePrice: number | null;
  /** Fraction: 0.02 = the price is 2% above the average of the 20 trades before it. */
  readonly priceDifferential: number;
  readonly currentShareVolume: number;
  readonly currentAverageVolume: number | null;
  readonly shareDifferential: number;
  /** ISO-8601. */
  readonly lastUpdateSent: string;
}

function view(symbol: string, p: StockPerformance): StockPerformanceView {
  return {
    symbol,
    samples: p.samples,
    currentPrice: p.currentPrice,
    currentAveragePrice: p.currentAveragePrice,
    priceDifferential: p.priceDifferential,
    currentShareVolume: p.currentShareVolume,
    currentAverageVolume: p.currentAverageVolume,
    shareDifferential: p.shareDifferential,
    lastUpdateSent: new Date(p.lastUpdateSent).toISOString(),
  };
}

/** Queries of the stock-performance store, here or on the instance that owns a symbol. */
@Controller('stocks')
export class StocksController {
  constructor(private readonly queries: InteractiveQueries) {}

  /** This instance's partitions of the store; a 503 while it is not queryable. */
  private performanceStore(): ReadOnlyKeyValueStore<string, StockPerformance> {
    return this.queries.store(
      STOCK_PERFORMANCE_STORE,
      QueryableStoreTypes.keyValueStore<string, StockPerformance>(),
    );
  }

  /**
   * `GET /stocks/performance?top=N`: the N (default 10, at most 100) symbols of this instance's
   * partitions with the largest price move from their 20-trade average (the live view's movers).
   */
  @Get('performance')
  movers(@Query() raw: RawQuery): StockPerformanceView[] {
    rejectUnknownQuery(raw, ['top']);
    const n = wholeNumberQuery(raw, 'top', 10, 1, MAX_TOP);
    const all: StockPerformanceView[] = [];
    const it = this.performanceStore().all();
    try {
      for (const kv of it) if (kv.value) all.push(view(kv.key, kv.value));
    } finally {
      it.close();
    }
    return all
      .sort(
        (a, b) =>
          Math.abs(b.priceDifferential) - Math.abs(a.priceDifferential) || a.symbol.localeCompare(b.symbol),
      )
      .slice(0, n);
  }

  /**
   * `GET /stocks/:symbol/performance`: the symbol's latest price and volume, their 20-trade
   * averages and differentials, from the instance that holds the symbol (`queryMetadataForKey`;
   * asked with `?local=true` and its answer passed on). 404 for a symbol never traded; 503 while
   * rebalancing; 502 when the owner cannot be reached.
   */
  @Get(':symbol/performance')
  performance(@Param('symbol') symbol: string, @Query() raw: RawQuery): Promise<StockPerformanceView> {
    if (!SYMBOL.test(symbol)) {
      throw new BadRequestException('symbol must be 1-10 upper-case letters, digits, "." or "-"');
    }
    rejectUnknownQuery(raw, ['local']);
    const localOnly = localQueryFlag(raw);
    return this.queries.routed({
      storeName: STOCK_PERFORMANCE_STORE,
      key: symbol,
      keySerializer: Serdes.String().serializer(),
      path: `/stocks/${encodeURIComponent(symbol)}/performance`,
      localOnly,
      local: () => {
        const p = this.performanceStore().get(symbol);
        return p ? view(symbol, p) : undefined;
      },
      notFound: () => new NotFoundException(`no performance for ${symbol}: it was never traded`),
    });
  }
}
