import { GmartSerdes, purchasePatternOf } from '@gmart/gmart';
import { Consumed, Named, Produced, Serdes, StreamsBuilder, type Topology } from '@gmart/streams';

/** Topic names the patterns topology reads and writes. */
export interface PatternsTopics {
  /** Masked purchases (`purchases`). */
  readonly PURCHASES: string;
  /** Purchase patterns (`patterns`). */
  readonly PATTERNS: string;
}

/**
 * The seed's purchase-patterns node: `purchases` -> `PurchasePattern` (zip code, item, date,
 * amount = price x quantity) -> `patterns`, one pattern per purchase, same key.
 */
export function buildPatternsTopology(topics: PatternsTopics): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(topics.PURCHASES, Consumed.with(Serdes.String(), GmartSerdes.Purchase()))
    .mapValues((purchase) => purchasePatternOf(purchase), Named.as('purchase-pattern'))
    .to(
      topics.PATTERNS,
      Produced.with(
        Serdes.String(),
        // A pattern is derived from a purchase validated when read: no second schema pass.
        GmartSerdes.PurchasePattern({ validateOnSerialize: false }),
      ),
    );
  return builder.build();
}
