import {
  type StockPerformance,
  type StockTransaction,
  emptyStockPerformance,
  updateStockPerformance,
} from '@gmart/gmart';
import {
  type Cancellable,
  type Processor,
  type ProcessorContext,
  PunctuationType,
  type Record,
} from '@gmart/streams';
import { punctuateStockPerformance } from './stock-performance-punctuator';
import type { StockPerformanceStore } from './stock-performance-store';

/** Settings of a {@link StockPerformanceProcessor}. */
export interface StockPerformanceSettings {
  /** The performance store's name. */
  readonly storeName: string;
  /** Fraction a price or volume must move from its 20-sample average to be forwarded (0.02 = 2%). */
  readonly differentialThreshold: number;
  /** Wall-clock interval of the punctuator, ms (the seed: 10 000). */
  readonly punctuateIntervalMs: number;
  /** Called after each punctuation with how many symbols it forwarded (for metrics). */
  readonly onPunctuate?: (forwarded: number) => void;
}

/**
 * The seed's `StockPerformanceProcessor` (chapter 6): for every trade of a symbol (the record
 * key) it updates the symbol's {@link StockPerformance} in the store (price and volume samples,
 * `lastUpdateSent` = wall-clock now); it forwards nothing itself. A wall-clock punctuator every
 * `punctuateIntervalMs` forwards the symbols over the threshold ({@link punctuateStockPerformance}).
 * Records without a key are skipped, as in the seed.
 */
export class StockPerformanceProcessor implements Processor<
  string,
  StockTransaction,
  string,
  StockPerformance
> {
  private context!: ProcessorContext<string, StockPerformance>;
  private store!: StockPerformanceStore;
  private schedule: Cancellable | undefined;

  constructor(private readonly settings: StockPerformanceSettings) {}

  init(context: ProcessorContext<string, StockPerformance>): void {
    this.context = context;
    this.store = context.getStateStore<StockPerformanceStore>(this.settings.storeName);
    this.schedule = context.schedule(
      this.settings.punctuateIntervalMs,
      PunctuationType.WALL_CLOCK_TIME,
      (ts) => {
        const n = punctuateStockPerformance(
          ts,
          this.store,
          this.context,
          this.settings.differentialThreshold,
        );
        this.settings.onPunctuate?.(n);
      },
    );
  }

  process(record: Record<string, StockTransaction>): void {
    const symbol = record.key;
    const transaction = record.value;
    if (symbol === null || symbol === undefined || !transaction) return;
    const previous = this.store.get(symbol) ?? emptyStockPerformance();
    this.store.put(
      symbol,
      updateStockPerformance(
        previous,
        transaction.sharePrice,
        transaction.shares,
        this.context.currentSystemTimeMs(),
      ),
    );
  }

  close(): void {
    this.schedule?.cancel();
  }
}
