import { cardNumberFieldOf, maskCardNumbersInBytes, maskPurchase, type Purchase } from '@gmart/gmart';
import { DeadLetterHeaders, Processor, ProcessorContext, Record } from '@gmart/streams';

/** `exception` header value of a refused purchase. */
export const CARD_NUMBER_REFUSED = 'CardNumberRefused';

/** The record key as text, for the card check (Latin-1: one character per byte, digits as they are). */
export function keyText(key: Buffer | null): string | null {
  return key === null ? null : key.toString('latin1');
}

/**
 * Where a purchase still carries a card number (a Luhn-valid run of 13-19 digits with any card
 * separators, as `@gmart/gmart`'s `cardNumberFieldOf` sees it): the field name (`key` for the
 * record key), or `null` when it is clean. Card numbers reach this service masked; one that does
 * not is refused, never stored.
 */
export function refusedFieldOf(key: Buffer | null, purchase: Purchase): string | null {
  return cardNumberFieldOf(keyText(key), purchase);
}

/**
 * Turns a refused purchase into its dead-letter record: key and value masked (`@gmart/gmart`'s
 * masking), the reason and the input position in the library's dead-letter headers
 * (`DeadLetterHeaders`), never the number itself.
 */
export class RefusedPurchaseProcessor implements Processor<Buffer | null, Purchase, Buffer | null, Purchase> {
  private context!: ProcessorContext<Buffer | null, Purchase>;

  init(context: ProcessorContext<Buffer | null, Purchase>): void {
    this.context = context;
  }

  process(record: Record<Buffer | null, Purchase>): void {
    const field = refusedFieldOf(record.key, record.value) ?? 'unknown';
    const position = this.context.recordMetadata();
    this.context.forward(
      new Record(
        record.key === null ? null : maskCardNumbersInBytes(record.key),
        maskPurchase(record.value),
        record.timestamp,
        {
          ...record.headers,
          [DeadLetterHeaders.EXCEPTION]: CARD_NUMBER_REFUSED,
          [DeadLetterHeaders.MESSAGE]: `refused: ${field} still holds a card number (Luhn-valid, 13-19 digits); card numbers must arrive masked`,
          ...(position
            ? {
                [DeadLetterHeaders.TOPIC]: position.topic,
                [DeadLetterHeaders.PARTITION]: String(position.partition),
                [DeadLetterHeaders.OFFSET]: String(position.offset),
              }
            : {}),
        },
      ),
    );
  }
}
