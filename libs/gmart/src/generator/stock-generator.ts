import { GmartError } from '../errors/gmart-error';
import type { Client } from '../models/client';
import type { Company } from '../models/company';
import { roundToCents } from '../models/fields';
import type { StockTicker } from '../models/stock-ticker';
import type { StockTransaction } from '../models/stock-transaction';
import { SeededRandom } from './seeded-random';
import { CLIENT_FIRST_NAMES, CLIENT_LAST_NAMES, STOCK_COMPANIES } from './stock-reference-data';

/** Options of a {@link StockGenerator}. */
export interface StockGeneratorOptions {
  /** Random seed: the same seed gives the same clients, prices and transactions. */
  readonly seed: number;
  /** Distinct trading clients (default 100). */
  readonly clients?: number;
  /** Event time of the first transaction (epoch ms). */
  readonly startTime: number;
  /** Event time between two transactions, in ms (default 10). */
  readonly intervalMs?: number;
}

interface PriceState {
  price: number;
  /** Drift per trade of the current trend, a fraction (0.004 = +0.4% per trade). */
  drift: number;
  /** Trades left in the current trend. */
  trendLeft: number;
}

/**
 * A deterministic stock-market generator (seed chapters 5-7): the `companies` and `clients`
 * reference data, and a stream of trades whose prices follow trends per symbol (runs of 15-60
 * trades drifting up to 0.6% per trade, or flat), so a price moves more than 2% away from its
 * 20-trade average often, and occasional block trades (5x the usual volume) move the volume
 * average the same way. `ticker(symbol)` gives the latest price of a symbol.
 */
export class StockGenerator {
  private readonly random: SeededRandom;
  private readonly intervalMs: number;
  private readonly prices = new Map<string, PriceState>();
  private readonly clientList: Client[];
  private time: number;
  private emitted = 0;

  constructor(options: StockGeneratorOptions) {
    const clients = options.clients ?? 100;
    if (!Number.isInteger(clients) || clients < 1)
      throw new GmartError(`clients must be a positive integer, got ${clients}`);
    this.intervalMs = options.intervalMs ?? 10;
    if (!(this.intervalMs >= 0))
      throw new GmartError(`intervalMs must not be negative, got ${this.intervalMs}`);
    this.random = new SeededRandom(options.seed);
    this.time = options.startTime;
    for (const c of STOCK_COMPANIES)
      this.prices.set(c.symbol, { price: c.startPrice, drift: 0, trendLeft: 0 });
    this.clientList = Array.from({ length: clients }, (_, i) => ({
      customerId: `C-${String(i + 1).padStart(4, '0')}`,
      name: `${this.random.pick(CLIENT_FIRST_NAMES)} ${this.random.pick(CLIENT_LAST_NAMES)}`,
    }));
  }

  /** The companies traded (for the compacted `companies` topic, keyed by symbol). */
  companies(): Company[] {
    return STOCK_COMPANIES.map(({ symbol, name, sector, industry }) => ({ symbol, name, sector, industry }));
  }

  /** The trading clients (for the compacted `clients` topic, keyed by customer id). */
  clients(): Client[] {
    return this.clientList.map((c) => ({ ...c }));
  }

  /** The next trade. */
  nextTransaction(): StockTransaction {
    const company = this.random.pick(STOCK_COMPANIES);
    const state = this.prices.get(company.symbol)!;
    if (state.trendLeft <= 0) {
      state.trendLeft = this.random.int(15, 60);
      state.drift = this.random.chance(0.3) ? 0 : (this.random.float() * 2 - 1) * 0.006;
    }
    state.trendLeft--;
    const noise = (this.random.float() * 2 - 1) * 0.002;
    state.price = Math.max(1, roundToCents(state.price * (1 + state.drift + noise)));
    const usual = this.random.int(10, 1000);
    const shares = this.random.chance(0.05) ? usual * 5 : usual;
    const t: StockTransaction = {
      symbol: company.symbol,
      sector: company.sector,
      industry: company.industry,
      shares,
      sharePrice: state.price,
      customerId: this.random.pick(this.clientList).customerId,
      transactionTimestamp: Math.round(this.time),
      purchase: this.random.chance(0.55),
    };
    this.time += this.intervalMs;
    this.emitted++;
    return t;
  }

  /** The latest price of `symbol`. */
  ticker(symbol: string): StockTicker {
    const state = this.prices.get(symbol);
    if (!state) throw new GmartError(`unknown symbol "${symbol}"`);
    return { symbol, price: state.price };
  }

  /** Trades generated so far. */
  get transactions(): number {
    return this.emitted;
  }
}
