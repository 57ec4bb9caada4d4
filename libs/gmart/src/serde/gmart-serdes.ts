import { PurchaseInputSchema, PurchaseSchema, purchaseToJson, type Purchase } from '../models/purchase';
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
}

/** A model's serde, validating on write unless the options say otherwise. */
export type GmartSerdeFactory<T> = (options?: GmartSerdeOptions) => Serde<T>;

/** The validating and the write-trusting serde of one model, built once (serdes are stateless). */
function pair<T, J>(spec: ModelSpec<T, J>): GmartSerdeFactory<T> {
  const validating = validatingJsonSerde({ ...spec, validateOnSerialize: true });
  const trusting = validatingJsonSerde({ ...spec, validateOnSerialize: false });
  return (options) => (options?.validateOnSerialize === false ? trusting : validating);
}

const purchase: GmartSerdeFactory<Purchase> = pair({
  name: 'Purchase',
  input: PurchaseInputSchema,
  output: PurchaseSchema,
  toJson: purchaseToJson,
});
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
});
const correlatedPurchase: GmartSerdeFactory<CorrelatedPurchase> = pair({
  name: 'CorrelatedPurchase',
  input: CorrelatedPurchaseInputSchema,
  output: CorrelatedPurchaseSchema,
  toJson: correlatedPurchaseToJson,
});

/**
 * Validating JSON serdes of the G-Mart models, named as the book's `StreamsSerdes`
 * (`StreamsSerdes.PurchaseSerde()`), shared instances (they are stateless). Each takes
 * {@link GmartSerdeOptions}.
 */
export const GmartSerdes = Object.freeze({
  /** {@link Purchase}; `purchaseDate` read as ISO-8601 or epoch ms, written as ISO-8601 UTC. */
  Purchase: purchase,
  /** {@link PurchasePattern}; `date` read as ISO-8601 or epoch ms, written as ISO-8601 UTC. */
  PurchasePattern: purchasePattern,
  /** {@link RewardAccumulator}. */
  RewardAccumulator: rewardAccumulator,
  /** {@link CorrelatedPurchase}; dates read as ISO-8601, epoch ms or null, written as ISO-8601 UTC or null. */
  CorrelatedPurchase: correlatedPurchase,
});
