import { GmartSerdes, maskPurchase } from '@gmart/gmart';
import { Consumed, Named, Produced, Serdes, StreamsBuilder, type Topology } from '@gmart/streams';

/** Topic names the masking topology reads and writes. */
export interface MaskingTopics {
  /** Raw purchases, card numbers in clear (`transactions`). */
  readonly TRANSACTIONS: string;
  /** Masked purchases (`purchases`). */
  readonly PURCHASES: string;
}

/**
 * The seed's masking node: `transactions` -> mask the card number (last 4 digits visible, every
 * format; a value that is not a card number is masked entirely) -> `purchases`. Every other field
 * and the record key are unchanged. Records that are not valid purchases fail deserialization
 * and go to the runtime's deserialization handler (see {@link MaskingDeadLetterHandler}).
 */
export function buildMaskingTopology(topics: MaskingTopics): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(topics.TRANSACTIONS, Consumed.with(Serdes.String(), GmartSerdes.Purchase()))
    .mapValues(maskPurchase, Named.as('mask-credit-card'))
    .to(
      topics.PURCHASES,
      Produced.with(
        Serdes.String(),
        // Every purchase was validated when read, and masking keeps it valid: no second schema pass.
        GmartSerdes.Purchase({ validateOnSerialize: false }),
      ),
    );
  return builder.build();
}
