import { maskCardNumbersInBytes, type PurchaseDateWindow } from '@gmart/gmart';
import { Consumed, KeyValue, Named, Produced, Serdes, StreamsBuilder, type Topology } from '@gmart/streams';
import { maskReadPurchase, readPurchaseSerde, type ReadPurchase } from './purchase-bytes-serde';

/** The consumed value is read by nothing after masking: masked in its own bytes. */
const IN_PLACE = Object.freeze({ inPlace: true });

/** Topic names the masking topology reads and writes. */
export interface MaskingTopics {
  /** Raw purchases, card numbers in clear (`transactions`). */
  readonly TRANSACTIONS: string;
  /** Masked purchases (`purchases`). */
  readonly PURCHASES: string;
}

/** Options of {@link buildMaskingTopology}. */
export interface MaskingTopologyOptions {
  /** Purchase dates accepted (default: the `@gmart/gmart` default window, 2000 to now + 1 day). */
  readonly purchaseDates?: PurchaseDateWindow;
}

/**
 * The seed's masking node, hardened: `transactions` -> mask every card number -> `purchases`.
 *
 * - `creditCardNumber` keeps its format with only its last 4 digits visible (a value that is not a
 *   card number is masked entirely); every other string field has each Luhn-valid 13-19 digit run
 *   (any separators) masked the same way.
 * - The key is read as bytes and written back byte for byte, except the digits of a Luhn-valid
 *   card number in it, which are masked (`x`) in place: a binary key passes unchanged.
 * - A null value (tombstone), malformed JSON, a schema violation or a purchase date outside the
 *   window fails deserialization: the record goes to the dead-letter topic with the reason, card
 *   numbers masked by the service's redactor, and nothing is forwarded.
 * - The output is byte for byte `GmartSerdes.Purchase`'s JSON of `maskPurchase(purchase)`; a
 *   purchase that arrives in that canonical JSON is masked without being parsed
 *   (`readPurchaseSerde`), in the consumed value's own bytes when only its card number changes
 *   (nothing reads them afterwards: no copy to allocate), any other is parsed,
 *   masked and written.
 */
export function buildMaskingTopology(topics: MaskingTopics, options: MaskingTopologyOptions = {}): Topology {
  const builder = new StreamsBuilder();
  const B = Serdes.Buffer();
  builder
    .stream(topics.TRANSACTIONS, Consumed.with(B, readPurchaseSerde(options.purchaseDates)))
    .map(
      (key: Buffer | null, purchase: ReadPurchase) =>
        KeyValue.pair(
          key === null ? null : maskCardNumbersInBytes(key),
          // Every purchase was validated when read, and masking keeps it valid: no second schema pass.
          maskReadPurchase(topics.PURCHASES, purchase, IN_PLACE),
        ),
      Named.as('mask-card-numbers'),
    )
    .to(topics.PURCHASES, Produced.with(B, B));
  return builder.build();
}
