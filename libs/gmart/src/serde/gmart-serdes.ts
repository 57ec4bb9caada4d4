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
import { validatingJsonSerde } from './validating-json-serde';

const purchase = validatingJsonSerde({
  name: 'Purchase',
  input: PurchaseInputSchema,
  output: PurchaseSchema,
  toJson: purchaseToJson,
});
const purchasePattern = validatingJsonSerde({
  name: 'PurchasePattern',
  input: PurchasePatternInputSchema,
  output: PurchasePatternSchema,
  toJson: purchasePatternToJson,
});
const rewardAccumulator = validatingJsonSerde({
  name: 'RewardAccumulator',
  input: RewardAccumulatorSchema,
  output: RewardAccumulatorSchema,
  toJson: (r: RewardAccumulator) => r,
});

const correlatedPurchase = validatingJsonSerde({
  name: 'CorrelatedPurchase',
  input: CorrelatedPurchaseInputSchema,
  output: CorrelatedPurchaseSchema,
  toJson: correlatedPurchaseToJson,
});

/**
 * Validating JSON serdes of the G-Mart models, named as the book's `StreamsSerdes`
 * (`StreamsSerdes.PurchaseSerde()`), shared instances (they are stateless).
 */
export const GmartSerdes = Object.freeze({
  /** {@link Purchase}; `purchaseDate` read as ISO-8601 or epoch ms, written as ISO-8601 UTC. */
  Purchase: (): Serde<Purchase> => purchase,
  /** {@link PurchasePattern}; `date` read as ISO-8601 or epoch ms, written as ISO-8601 UTC. */
  PurchasePattern: (): Serde<PurchasePattern> => purchasePattern,
  /** {@link RewardAccumulator}. */
  RewardAccumulator: (): Serde<RewardAccumulator> => rewardAccumulator,
  /** {@link CorrelatedPurchase}; dates read as ISO-8601, epoch ms or null, written as ISO-8601 UTC or null. */
  CorrelatedPurchase: (): Serde<CorrelatedPurchase> => correlatedPurchase,
});
