import {
  GmartSerdes,
  PurchasePatternInputSchema,
  PurchasePatternSchema,
  purchasePatternOf,
  purchasePatternToJson,
  validatingJsonSerde,
} from '@gmart/gmart';
import { Consumed, Named, Produced, Serdes, StreamsBuilder, type Topology } from '@gmart/streams';

/** Topic names the patterns topology reads and writes. */
export interface PatternsTopics {
  /** Masked purchases (`purchases`). */
  readonly PURCHASES: string;
  /** Purchase patterns (`patterns`). */
  readonly PATTERNS: string;
}

/**
 * The `PurchasePattern` serde of the output: the same JSON as `GmartSerdes.PurchasePattern()`,
 * without validating again on the way out (a pattern is derived from a purchase validated when
 * read), which saves a schema pass per record on the hot path.
 */
const derivedPatternSerde = validatingJsonSerde({
  name: 'PurchasePattern',
  input: PurchasePatternInputSchema,
  output: PurchasePatternSchema,
  toJson: purchasePatternToJson,
  validateOnSerialize: false,
});

/**
 * The seed's purchase-patterns node: `purchases` -> `PurchasePattern` (zip code, item, date,
 * amount = price x quantity) -> `patterns`, one pattern per purchase, same key.
 */
export function buildPatternsTopology(topics: PatternsTopics): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(topics.PURCHASES, Consumed.with(Serdes.String(), GmartSerdes.Purchase()))
    .mapValues((purchase) => purchasePatternOf(purchase), Named.as('purchase-pattern'))
    .to(topics.PATTERNS, Produced.with(Serdes.String(), derivedPatternSerde));
  return builder.build();
}
