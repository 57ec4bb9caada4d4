import type { z } from 'zod';
import {
  PurchaseInputSchema,
  PurchaseSchema,
  purchaseToJson,
  type Purchase,
  type PurchaseJson,
} from '../models/purchase';
import {
  readPurchaseFast,
  readRewardAccumulatorFast,
  readShareVolumeFast,
  readStockPerformanceFast,
  readStockTransactionFast,
} from '../models/fast-read';
import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  purchaseDateProblem,
  type PurchaseDateWindow,
} from '../models/purchase-date-window';
import {
  PurchasePatternInputSchema,
  PurchasePatternSchema,
  purchasePatternToJson,
  type PurchasePattern,
} from '../models/purchase-pattern';
import { RewardAccumulatorSchema, type RewardAccumulator } from '../models/reward-accumulator';
import {
  CorrelatedPurchaseInputSchema,
  CorrelatedPurchaseSchema,
  correlatedPurchaseToJson,
  type CorrelatedPurchase,
} from '../models/correlated-purchase';
import { correlatedPurchaseJsonBytes } from '../models/correlated-purchase-bytes';
import {
  StockTransactionInputSchema,
  StockTransactionSchema,
  stockTransactionToJson,
  type StockTransaction,
} from '../models/stock-transaction';
import { StockTickerSchema, type StockTicker } from '../models/stock-ticker';
import { CompanySchema, type Company } from '../models/company';
import { ClientSchema, type Client } from '../models/client';
import { ShareVolumeSchema, type ShareVolume } from '../models/share-volume';
import { TransactionSummarySchema, type TransactionSummary } from '../models/transaction-summary';
import { scanStockTransaction } from '../models/scanned-stock-transaction';
import { StockPerformanceSchema, type StockPerformance } from '../models/stock-performance';
import type { Serde } from '@gmart/streams';
import { type ModelSpec, validatingJsonSerde } from './validating-json-serde';

/** Options of a {@link GmartSerdes} serde. */
export interface GmartSerdeOptions {
  /**
   * Check values against the model's schema when serializing as well (default true). Turn it off
   * where every value written was validated when read and the code in between keeps it valid
   * (masking, patterns, the rewards repartition): it saves a schema pass per record. Reading
   * always validates.
   */
  readonly validateOnSerialize?: boolean;
  /**
   * `'reject'`: a null value (tombstone) read is a {@link DeserializationError} with the reason
   * (the services' purchase topics carry events, never deletes). Default `'pass'`: `null`.
   */
  readonly nullValues?: 'pass' | 'reject';
}

/** Options of {@link GmartSerdes.Purchase}. */
export interface PurchaseSerdeOptions extends GmartSerdeOptions {
  /**
   * Purchase dates accepted on read (default {@link DEFAULT_PURCHASE_DATE_WINDOW}: from 2000-01-01
   * to one day ahead of the wall clock); a date outside is a `DeserializationError` naming
   * `purchaseDate`. `null` turns the check off.
   */
  readonly purchaseDates?: PurchaseDateWindow | null;
}

/** A model's serde, validating on write unless the options say otherwise. */
export type GmartSerdeFactory<T> = (options?: GmartSerdeOptions) => Serde<T>;

/** The serdes of one model, one per combination of options, built once (serdes are stateless). */
function pair<T, J>(spec: ModelSpec<T, J>): GmartSerdeFactory<T> {
  const built = new Map<string, Serde<T>>();
  return (options) => {
    const validateOnSerialize = options?.validateOnSerialize !== false;
    const nullValues = options?.nullValues ?? 'pass';
    const id = `${validateOnSerialize}/${nullValues}`;
    let serde = built.get(id);
    if (!serde) {
      serde = validatingJsonSerde({ ...spec, validateOnSerialize, nullValues });
      built.set(id, serde);
    }
    return serde;
  };
}

const purchaseSpec: ModelSpec<Purchase, PurchaseJson> = {
  name: 'Purchase',
  input: PurchaseInputSchema,
  output: PurchaseSchema,
  toJson: purchaseToJson,
  fastInput: readPurchaseFast,
};
const defaultWindowPurchase = pair({
  ...purchaseSpec,
  check: (p: Purchase) => {
    const reason = purchaseDateProblem(p.purchaseDate, DEFAULT_PURCHASE_DATE_WINDOW);
    return reason ? { field: 'purchaseDate', reason } : undefined;
  },
});
const unwindowedPurchase = pair(purchaseSpec);

function purchase(options?: PurchaseSerdeOptions): Serde<Purchase> {
  const window = options?.purchaseDates;
  if (window === undefined) return defaultWindowPurchase(options);
  if (window === null) return unwindowedPurchase(options);
  return validatingJsonSerde({
    ...purchaseSpec,
    validateOnSerialize: options?.validateOnSerialize !== false,
    nullValues: options?.nullValues ?? 'pass',
    check: (p: Purchase) => {
      const reason = purchaseDateProblem(p.purchaseDate, window);
      return reason ? { field: 'purchaseDate', reason } : undefined;
    },
  });
}
const purchasePattern: GmartSerdeFactory<PurchasePattern> = pair({
  name: 'PurchasePattern',
  input: PurchasePatternInputSchema,
  output: PurchasePatternSchema,
  toJson: purchasePatternToJson,
});
const rewardAccumulator: GmartSerdeFactory<RewardAccumulator> = pair({
  name: 'RewardAccumulator',
  input: RewardAccumulatorSchema,
  output: RewardAccumulatorSchema,
  toJson: (r: RewardAccumulator) => r,
  fastInput: readRewardAccumulatorFast,
  fastOutput: readRewardAccumulatorFast,
});
const correlatedPurchase: GmartSerdeFactory<CorrelatedPurchase> = pair({
  name: 'CorrelatedPurchase',
  input: CorrelatedPurchaseInputSchema,
  output: CorrelatedPurchaseSchema,
  toJson: correlatedPurchaseToJson,
  toJsonBytes: correlatedPurchaseJsonBytes,
});

/** A model whose JSON form is its in-memory form (with the schema's fast reader, if it has one). */
function plain<T>(
  name: string,
  schema: z.ZodType<T>,
  fastInput?: (json: unknown) => T | undefined,
): GmartSerdeFactory<T> {
  return pair({
    name,
    input: schema,
    output: schema,
    toJson: (v: T) => v,
    ...(fastInput ? { fastInput, fastOutput: fastInput } : {}),
  });
}

const stockTransaction: GmartSerdeFactory<StockTransaction> = pair({
  name: 'StockTransaction',
  input: StockTransactionInputSchema,
  output: StockTransactionSchema,
  toJson: stockTransactionToJson,
  fastInput: readStockTransactionFast,
  scanInput: scanStockTransaction,
});

/**
 * Validating JSON serdes of the G-Mart models, named as the book's `StreamsSerdes`
 * (`StreamsSerdes.PurchaseSerde()`), shared instances (they are stateless). Each takes
 * {@link GmartSerdeOptions}.
 */
export const GmartSerdes = Object.freeze({
  /**
   * {@link Purchase}; `purchaseDate` read as ISO-8601 or epoch ms (within the
   * {@link PurchaseSerdeOptions.purchaseDates} window), written as ISO-8601 UTC.
   */
  Purchase: purchase,
  /** {@link PurchasePattern}; `date` read as ISO-8601 or epoch ms, written as ISO-8601 UTC. */
  PurchasePattern: purchasePattern,
  /** {@link RewardAccumulator}. */
  RewardAccumulator: rewardAccumulator,
  /** {@link CorrelatedPurchase}; dates read as ISO-8601, epoch ms or null, written as ISO-8601 UTC or null. */
  CorrelatedPurchase: correlatedPurchase,
  /** {@link StockTransaction}; `transactionTimestamp` read as ISO-8601 or epoch ms, written as ISO-8601 UTC. */
  StockTransaction: stockTransaction,
  /** {@link StockTicker} (`stock-ticker-table`, `stock-ticker-stream`). */
  StockTicker: plain<StockTicker>('StockTicker', StockTickerSchema),
  /** {@link Company} (`companies`). */
  Company: plain<Company>('Company', CompanySchema),
  /** {@link Client} (`clients`). */
  Client: plain<Client>('Client', ClientSchema),
  /** {@link ShareVolume} (`share-volume`). */
  ShareVolume: plain<ShareVolume>('ShareVolume', ShareVolumeSchema, readShareVolumeFast),
  /** {@link TransactionSummary} (`transaction-summaries`). */
  TransactionSummary: plain<TransactionSummary>('TransactionSummary', TransactionSummarySchema),
  /** {@link StockPerformance} (`stock-performance` and the performance store). */
  StockPerformance: plain<StockPerformance>(
    'StockPerformance',
    StockPerformanceSchema,
    readStockPerformanceFast,
  ),
});
