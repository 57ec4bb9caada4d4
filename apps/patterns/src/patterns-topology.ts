import {
  GmartSerdes,
  type PurchasePattern,
  ScannedPurchase,
  purchasePatternBytesOf,
  purchasePatternOf,
  scanningPurchaseSerde,
} from '@gmart/gmart';
import { Consumed, Named, Produced, Serdes, StreamsBuilder, type Serde, type Topology } from '@gmart/streams';

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
 * dead-letter topic with the reason and yields no pattern. A purchase in canonical JSON is scanned,
 * not parsed, and its pattern's JSON built from its bytes (`purchasePatternBytesOf`: the same bytes
 * `GmartSerdes.PurchasePattern` writes for `purchasePatternOf`); any other is parsed and written.
 */
export function buildPatternsTopology(topics: PatternsTopics): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(topics.PURCHASES, Consumed.with(Serdes.Buffer(), scanningPurchaseSerde()))
    .mapValues(
      (purchase): PatternOut =>
        purchase instanceof ScannedPurchase ? purchasePatternBytesOf(purchase) : purchasePatternOf(purchase),
      Named.as('purchase-pattern'),
    )
    .to(topics.PATTERNS, Produced.with(Serdes.Buffer(), patternOutSerde()));
  return builder.build();
}

/** A pattern as written: its JSON already (from a scanned purchase), or the pattern. */
type PatternOut = Buffer | PurchasePattern;

/**
 * Writes a pattern's JSON as it is, or a pattern with `GmartSerdes.PurchasePattern` (derived from
 * a purchase validated when read: no second schema pass). Never read.
 */
function patternOutSerde(): Serde<PatternOut> {
  const patterns = GmartSerdes.PurchasePattern({ validateOnSerialize: false }).serializer();
  return {
    serializer: () => ({
      serialize: (topic: string, value: PatternOut | null): Buffer | null =>
        Buffer.isBuffer(value) ? value : patterns.serialize(topic, value),
    }),
    deserializer: () => ({
      deserialize: (): PatternOut | null => {
        throw new Error('patterns are only written here');
      },
    }),
  };
}
