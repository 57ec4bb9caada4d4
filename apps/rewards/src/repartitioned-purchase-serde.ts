import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  DeserializationError,
  PURCHASE_LIMITS,
  purchaseDateProblem,
} from '@gmart/gmart';
import type { Deserializer, Serde, Serializer } from '@gmart/streams';
import { type PurchaseAmounts, rewardsPurchaseSerde } from './rewards-purchase-serde';

/** First byte of the compact form (never the first byte of a JSON text). */
export const REPARTITIONED_PURCHASE_V1 = 0x01;

/**
 * Bytes before the customer id in the compact form: the version byte, then three big-endian
 * IEEE-754 doubles (`quantity`, `price`, `purchaseDate` in epoch ms), each followed by a 0x00 byte.
 */
export const REPARTITIONED_PURCHASE_HEADER = 1 + 3 * (8 + 1);

const QUANTITY_AT = 1;
const PRICE_AT = QUANTITY_AT + 9;
const DATE_AT = PRICE_AT + 9;
const MAX_QUANTITY = PURCHASE_LIMITS.maxQuantity;
const MAX_PRICE = PURCHASE_LIMITS.maxPrice;
const MAX_ID_CHARS = PURCHASE_LIMITS.textLength.customerId;

function invalid(topic: string, field: string, reason: string): DeserializationError {
  return new DeserializationError(`Purchase on topic "${topic}" is invalid: ${field}: ${reason}`, {
    topic,
    field,
  });
}

const serializer: Serializer<PurchaseAmounts> = {
  serialize(_topic, value) {
    if (value == null) return null;
    const id = value.customerId;
    const idBytes = Buffer.byteLength(id, 'utf8');
    const out = Buffer.allocUnsafe(REPARTITIONED_PURCHASE_HEADER + idBytes);
    out[0] = REPARTITIONED_PURCHASE_V1;
    out.writeDoubleBE(value.quantity, QUANTITY_AT);
    out[QUANTITY_AT + 8] = 0;
    out.writeDoubleBE(value.price, PRICE_AT);
    out[PRICE_AT + 8] = 0;
    out.writeDoubleBE(value.purchaseDate, DATE_AT);
    out[DATE_AT + 8] = 0;
    out.write(id, REPARTITIONED_PURCHASE_HEADER, 'utf8');
    return out;
  },
};

/** Reads and checks the compact form (`data[0]` is {@link REPARTITIONED_PURCHASE_V1}). */
function readCompact(topic: string, data: Buffer): PurchaseAmounts {
  if (
    data.length <= REPARTITIONED_PURCHASE_HEADER ||
    data[QUANTITY_AT + 8] !== 0 ||
    data[PRICE_AT + 8] !== 0 ||
    data[DATE_AT + 8] !== 0
  )
    throw new DeserializationError(
      `Purchase on topic "${topic}" is invalid: not a repartitioned purchase (${data.length} bytes)`,
      { topic },
    );
  const quantity = data.readDoubleBE(QUANTITY_AT);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
    throw invalid(topic, 'quantity', `must be a whole number from 1 to ${MAX_QUANTITY}`);
  const price = data.readDoubleBE(PRICE_AT);
  if (!(price >= 0 && price <= MAX_PRICE)) throw invalid(topic, 'price', `must be from 0 to ${MAX_PRICE}`);
  const purchaseDate = data.readDoubleBE(DATE_AT);
  if (!Number.isSafeInteger(purchaseDate))
    throw invalid(topic, 'purchaseDate', 'must be whole epoch milliseconds');
  const dateProblem = purchaseDateProblem(purchaseDate, DEFAULT_PURCHASE_DATE_WINDOW);
  if (dateProblem !== undefined) throw invalid(topic, 'purchaseDate', dateProblem);
  const customerId = data.toString('utf8', REPARTITIONED_PURCHASE_HEADER);
  if (
    customerId.length > MAX_ID_CHARS ||
    customerId.trim() !== customerId ||
    Buffer.byteLength(customerId, 'utf8') !== data.length - REPARTITIONED_PURCHASE_HEADER
  )
    throw invalid(topic, 'customerId', `must be trimmed UTF-8 text of 1 to ${MAX_ID_CHARS} characters`);
  return { customerId, quantity, price, purchaseDate };
}

/**
 * Serde of the repartition topic `customer_transactions`: what the reward transformer uses of a
 * purchase (customer id, quantity, price, date), 28 bytes plus the customer id instead of the
 * purchase's whole JSON (about 290 bytes): less to encode, send, store, fetch and decode on the
 * topology's second hop, and no name, card, item or store on it.
 *
 * The compact form is `0x01`, then `quantity`, `price` and `purchaseDate` (epoch ms) as big-endian
 * IEEE-754 doubles, each followed by a 0x00 byte, then the customer id in UTF-8. Read back, each field
 * is checked as the purchase serde checks it (quantity 1-10,000, price 0-1,000,000, the purchase-date
 * window, the id trimmed and at most 64 characters); a bad one is a `DeserializationError` naming
 * the field (dead-letter topic). A purchase in JSON (what earlier versions wrote to this topic) is
 * read as `rewardsPurchaseSerde` reads it, so a topic written before an upgrade is still processed;
 * a tombstone is refused as there. Outside the customer id (also the record's key), no more than 8
 * ASCII digits follow each other: a card-number scan of the topic cannot mistake a value for one.
 */
export function repartitionedPurchaseSerde(): Serde<PurchaseAmounts> {
  const json = rewardsPurchaseSerde().deserializer();
  const deserializer: Deserializer<PurchaseAmounts> = {
    deserialize(topic, data) {
      if (data != null && data.length > 0 && data[0] === REPARTITIONED_PURCHASE_V1)
        return readCompact(topic, data);
      return json.deserialize(topic, data);
    },
  };
  return { serializer: () => serializer, deserializer: () => deserializer };
}
