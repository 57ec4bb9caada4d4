import { findCardNumbers, type Purchase, redact } from '@gmart/gmart';
import { Processor, ProcessorContext, Record } from '@gmart/streams';

/** Text fields of a purchase scanned for card numbers. */
const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'customerId',
  'creditCardNumber',
  'itemPurchased',
  'department',
  'employeeId',
  'zipCode',
  'storeId',
] as const;

/**
 * Where a purchase still carries a card number (a Luhn-valid run of 13-19 digits, as
 * `findCardNumbers` sees it): the field name (`key` for the record key), or `null` when it is clean.
 * Card numbers reach this service masked; one that does not is refused, never stored.
 */
export function cardNumberFieldOf(key: string | null, purchase: Purchase): string | null {
  if (key && findCardNumbers(key).length > 0) return 'key';
  for (const field of TEXT_FIELDS) {
    if (findCardNumbers(purchase[field]).length > 0) return field;
  }
  return null;
}

/** The purchase with every card-shaped run of digits in its text fields masked (last 4 digits kept). */
export function maskedPurchase(purchase: Purchase): Purchase {
  const out = { ...purchase };
  for (const field of TEXT_FIELDS) out[field] = redact(purchase[field]);
  return out;
}

/** Dead-letter headers, the names `@gmart/streams` uses for its own dead-letter records. */
export const DLQ_HEADERS = Object.freeze({
  exception: '__streams.errors.exception',
  message: '__streams.errors.message',
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
});

/** `exception` header value of a refused purchase. */
export const CARD_NUMBER_REFUSED = 'CardNumberRefused';

/**
 * Turns a refused purchase into its dead-letter record: key and value masked, the reason and the
 * input position in the headers (never the number itself).
 */
export class RefusedPurchaseProcessor implements Processor<string | null, Purchase, string | null, Purchase> {
  private context!: ProcessorContext<string | null, Purchase>;

  init(context: ProcessorContext<string | null, Purchase>): void {
    this.context = context;
  }

  process(record: Record<string | null, Purchase>): void {
    const field = cardNumberFieldOf(record.key, record.value) ?? 'unknown';
    const position = this.context.recordMetadata();
    this.context.forward(
      new Record(
        record.key === null ? null : redact(record.key),
        maskedPurchase(record.value),
        record.timestamp,
        {
          ...record.headers,
          [DLQ_HEADERS.exception]: CARD_NUMBER_REFUSED,
          [DLQ_HEADERS.message]: `refused: ${field} still holds a card number (Luhn-valid, 13-19 digits); card numbers must arrive masked`,
          ...(position
            ? {
                [DLQ_HEADERS.topic]: position.topic,
                [DLQ_HEADERS.partition]: String(position.partition),
                [DLQ_HEADERS.offset]: String(position.offset),
              }
            : {}),
        },
      ),
    );
  }
}
