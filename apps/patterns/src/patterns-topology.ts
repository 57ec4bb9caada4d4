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
 * amount = price x quantity) -> `patterns`, one pattern per purchase, same key (read and written
 * as bytes: carried byte for byte). A null value (tombstone) or an unparseable purchase goes to the
 * dead-letter topic with the reason and yields no pattern.
 */
export function buildPatternsTopology(topics: PatternsTopics): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(topics.PURCHASES, Consumed.with(Serdes.Buffer(), GmartSerdes.Purchase({ nullValues: 'reject' })))
    .mapValues((purchase) => purchasePatternOf(purchase), Named.as('purchase-pattern'))
    .to(
      topics.PATTERNS,
      Produced.with(
        Serdes.Buffer(),
        // A pattern is derived from a purchase validated when read: no second schema pass.
        GmartSerdes.PurchasePattern({ validateOnSerialize: false }),
      ),
    );
  return builder.build();
}
