import { DeserializationError, GmartSerdes, type Purchase } from '@gmart/gmart';
import type { Deserializer, Serde, Serializer } from '@gmart/streams';

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

/** The purchase JSON form's writer: `GmartSerdes.Purchase`'s, without a schema pass. */
const written = GmartSerdes.Purchase({ validateOnSerialize: false, nullValues: 'reject' });
const writer = written.serializer();

/**
 * The bytes of frozen purchases, and frozen purchases by their bytes. A coffee or electronics
 * purchase is written to its topic and to the join's repartition topic as the same object, and the
 * purchase read back from the repartition topic is put into a window store and fetched from it as
 * that store's buffer: each is encoded and parsed once. Only frozen purchases (nothing can change
 * them) and buffers made here (nothing writes into them) are remembered, weakly.
 */
const bytesOfPurchase = new WeakMap<Purchase, Buffer>();
const purchaseOfBytes = new WeakMap<Buffer, Purchase>();

function remember(purchase: Purchase, bytes: Buffer): void {
  bytesOfPurchase.set(purchase, bytes);
  purchaseOfBytes.set(bytes, purchase);
}

const serializer: Serializer<Purchase> = {
  serialize(topic, data) {
    if (data == null) return writer.serialize(topic, data);
    const known = bytesOfPurchase.get(data);
    if (known !== undefined) return known;
    const bytes = writer.serialize(topic, data);
    if (bytes !== null && Object.isFrozen(data)) remember(data, bytes);
    return bytes;
  },
};

function invalid(topic: string, field: string | undefined, what: string): DeserializationError {
  return new DeserializationError(`Purchase on topic "${topic}" ${what}`, { topic, field });
}

/**
 * Reads back a purchase this service wrote itself (repartition topics, join window stores): the
 * JSON form of `GmartSerdes.Purchase`, from a purchase validated when it was read from
 * `purchases`. The structure (every field present, of its type, a readable date) is checked, not
 * every field's range again, which saves the schema pass of each read; anything else is a
 * {@link DeserializationError} naming the field (never the value).
 */
const deserializer: Deserializer<Purchase> = {
  deserialize(topic, data) {
    if (data == null) throw invalid(topic, undefined, 'is a null value (tombstone)');
    const known = purchaseOfBytes.get(data);
    if (known !== undefined) return known;
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      // The SyntaxError's message quotes the input, which may hold a card number: not kept.
      throw invalid(topic, undefined, `is not valid JSON (${data.length} bytes)`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw invalid(topic, undefined, 'is not an object');
    const o = json as Record<string, unknown>;
    for (const f of TEXT_FIELDS) if (typeof o[f] !== 'string') throw invalid(topic, f, `is invalid: ${f}`);
    if (!Number.isInteger(o.quantity)) throw invalid(topic, 'quantity', 'is invalid: quantity');
    if (typeof o.price !== 'number' || !Number.isFinite(o.price))
      throw invalid(topic, 'price', 'is invalid: price');
    const purchaseDate = typeof o.purchaseDate === 'string' ? Date.parse(o.purchaseDate) : NaN;
    if (!Number.isFinite(purchaseDate)) throw invalid(topic, 'purchaseDate', 'is invalid: purchaseDate');
    const purchase: Purchase = Object.freeze({
      firstName: o.firstName as string,
      lastName: o.lastName as string,
      customerId: o.customerId as string,
      creditCardNumber: o.creditCardNumber as string,
      itemPurchased: o.itemPurchased as string,
      department: o.department as string,
      employeeId: o.employeeId as string,
      quantity: o.quantity as number,
      price: o.price,
      zipCode: o.zipCode as string,
      storeId: o.storeId as string,
      purchaseDate,
    });
    // A copy: the record's buffer may be a view of a whole fetch response, which must not be
    // kept alive by a window store holding the purchase for its window and grace.
    remember(purchase, Buffer.from(data));
    return purchase;
  },
};

/**
 * Serde of the purchases coupon-join writes and reads back itself (`coffee`, `electronics`, the
 * join's repartition topics and window stores): `GmartSerdes.Purchase`'s JSON form both ways, read
 * with a structural check instead of the full schema (it was applied when the purchase was read
 * from `purchases`); purchases read are frozen.
 */
export const internalPurchaseSerde: Serde<Purchase> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};

/**
 * Serde of the input (`purchases`): `GmartSerdes.Purchase`'s full schema check on read (a bad or
 * null record goes to the dead-letter topic), the purchase read frozen so that
 * {@link internalPurchaseSerde} writes it to `coffee`/`electronics` and the repartition topic once.
 */
export const inputPurchaseSerde: Serde<Purchase> = {
  serializer: () => serializer,
  deserializer: () => {
    const validating = written.deserializer();
    return {
      deserialize(topic, data) {
        const purchase = validating.deserialize(topic, data);
        return purchase === null ? null : Object.freeze(purchase);
      },
    };
  },
};
