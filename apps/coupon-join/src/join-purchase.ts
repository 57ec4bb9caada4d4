import { DeserializationError, type Purchase } from '@gmart/gmart';
import type { Deserializer, Serde, Serializer } from '@gmart/streams';
import { itemOf, type ReadPurchase } from './read-purchase';

/**
 * What the join keeps of a purchase: the fields the seed's `PurchaseJoiner` reads (customer id,
 * item, price, date). The join's repartition topics and window stores (and their changelogs) carry
 * this instead of the whole purchase, which `coffee` / `electronics` still get unchanged.
 */
export type JoinPurchase = Pick<Purchase, 'customerId' | 'itemPurchased' | 'price' | 'purchaseDate'>;

/** The join's part of a purchase (parsed or scanned), frozen. */
export function toJoinPurchase(p: ReadPurchase): JoinPurchase {
  return Object.freeze({
    customerId: p.customerId,
    itemPurchased: itemOf(p),
    price: p.price,
    purchaseDate: p.purchaseDate,
  });
}

/** 36^5: splits an epoch-ms date into two small integers, whose `toString(36)` is fast. */
const B36_LOW = 36 ** 5;

function base36(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < B36_LOW) return ms.toString(36);
  const high = Math.floor(ms / B36_LOW);
  return high.toString(36) + (ms - high * B36_LOW).toString(36).padStart(5, '0');
}

/**
 * On a buffer the serializer wrote: the frozen join purchase it was written from, when reading the
 * buffer gives exactly that purchase back. A window store keeps the buffer it was given and hands
 * that same buffer to every fetch of the other side, which then skips parsing it. Nothing writes
 * into those buffers; a buffer from anywhere else is parsed.
 */
const WRITTEN_FROM = Symbol('join purchase written');

type JoinPurchaseBytes = Buffer & { readonly [WRITTEN_FROM]?: JoinPurchase };

/** True when reading `data`'s bytes gives `data` back, field for field (see the deserializer). */
function readsBack(data: JoinPurchase): boolean {
  return (
    Object.isFrozen(data) &&
    typeof data.customerId === 'string' &&
    typeof data.itemPurchased === 'string' &&
    typeof data.price === 'number' &&
    Number.isFinite(data.price) &&
    Number.isSafeInteger(data.purchaseDate) &&
    data.purchaseDate >= 0
  );
}

/** `[customerId, itemPurchased, price, purchaseDate]`, the date as epoch ms in base 36 (no 13-digit runs for card scans to flag). */
const serializer: Serializer<JoinPurchase> = {
  serialize(_topic, data) {
    if (data == null) return null;
    const bytes = Buffer.from(
      JSON.stringify([data.customerId, data.itemPurchased, data.price, base36(data.purchaseDate)]),
      'utf8',
    );
    if (readsBack(data)) Object.defineProperty(bytes, WRITTEN_FROM, { value: data });
    return bytes;
  },
};

function invalid(topic: string, field: string | undefined, what: string): DeserializationError {
  return new DeserializationError(`join purchase on topic "${topic}" ${what}`, { topic, field });
}

/** A whole purchase's JSON object (`GmartSerdes.Purchase`'s form): what earlier versions wrote here. */
function fromPurchaseJson(topic: string, o: Record<string, unknown>): [unknown, unknown, unknown, number] {
  const date = typeof o.purchaseDate === 'string' ? Date.parse(o.purchaseDate) : NaN;
  if (!Number.isFinite(date)) throw invalid(topic, 'purchaseDate', 'is invalid: purchaseDate');
  return [o.customerId, o.itemPurchased, o.price, date];
}

const deserializer: Deserializer<JoinPurchase> = {
  deserialize(topic, data) {
    if (data == null) throw invalid(topic, undefined, 'is a null value (tombstone)');
    const written = (data as JoinPurchaseBytes)[WRITTEN_FROM];
    if (written !== undefined) return written;
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      // The SyntaxError's message quotes the input: not kept.
      throw invalid(topic, undefined, `is not valid JSON (${data.length} bytes)`);
    }
    let fields: [unknown, unknown, unknown, number];
    if (Array.isArray(json) && json.length === 4) {
      const d = json[3];
      const date = typeof d === 'string' && /^[0-9a-z]{1,12}$/.test(d) ? parseInt(d, 36) : NaN;
      if (!Number.isSafeInteger(date)) throw invalid(topic, 'purchaseDate', 'is invalid: purchaseDate');
      fields = [json[0], json[1], json[2], date];
    } else if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
      fields = fromPurchaseJson(topic, json as Record<string, unknown>);
    } else throw invalid(topic, undefined, 'is neither a join purchase nor a purchase');
    const [customerId, itemPurchased, price, purchaseDate] = fields;
    if (typeof customerId !== 'string') throw invalid(topic, 'customerId', 'is invalid: customerId');
    if (typeof itemPurchased !== 'string') throw invalid(topic, 'itemPurchased', 'is invalid: itemPurchased');
    if (typeof price !== 'number' || !Number.isFinite(price))
      throw invalid(topic, 'price', 'is invalid: price');
    return Object.freeze({ customerId, itemPurchased, price, purchaseDate });
  },
};

/**
 * Serde of the join's repartition topics and window stores: a {@link JoinPurchase} as a compact
 * JSON tuple. Reads also a whole purchase's JSON (what earlier versions wrote), so in-flight
 * repartition records and window changelogs stay readable across an upgrade. The structure is
 * checked (each field of its type, a readable date), not every range again: the purchase was
 * validated when read from `purchases`. Anything else is a `DeserializationError` naming the field.
 */
export const joinPurchaseSerde: Serde<JoinPurchase> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};
