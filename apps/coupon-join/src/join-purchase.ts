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
 * that same buffer to every fetch of the other side, which then skips reading it. Nothing writes
 * into those buffers; a buffer from anywhere else is read.
 */
const WRITTEN_FROM = Symbol('join purchase written');

type JoinPurchaseBytes = Buffer & { [WRITTEN_FROM]?: JoinPurchase };

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

/** First byte of the binary form (the JSON forms start with `[` or `{`). */
const BINARY = 0x01;
/** A string's length byte in the binary form: 0x80 + its UTF-8 length (never a digit, space or dash). */
const LENGTH_BASE = 0x80;
/** Longest string (UTF-8 bytes) the binary form holds; a longer one is written as the JSON tuple. */
const MAX_BINARY_STRING = 0x7f;
/** The binary form's fixed part: its first byte, price and date (doubles), two length bytes. */
const BINARY_FIXED = 1 + 8 + 8 + 2;

/**
 * The binary form (format 2): `0x01`, the price and the date (epoch ms) as big-endian doubles, then
 * the customer id and the item, each UTF-8 after a length byte `0x80 + length`. No JSON to write or
 * parse, and no run of 13 digits it does not hold already: each double starts with a byte that is
 * no digit for any price from 2^-95 on and any date from 1970 on (`0x3f`, `0x40`, `0x41`,
 * `0x42`...; 0 is `0x00`), and the length bytes are none either.
 */
function writeBinary(data: JoinPurchase): Buffer | null {
  const { customerId, itemPurchased, price, purchaseDate } = data;
  if (typeof customerId !== 'string' || typeof itemPurchased !== 'string') return null;
  if (typeof price !== 'number' || typeof purchaseDate !== 'number') return null;
  const idLength = Buffer.byteLength(customerId, 'utf8');
  const itemLength = Buffer.byteLength(itemPurchased, 'utf8');
  if (idLength > MAX_BINARY_STRING || itemLength > MAX_BINARY_STRING) return null;
  const bytes = Buffer.allocUnsafe(BINARY_FIXED + idLength + itemLength);
  bytes[0] = BINARY;
  bytes.writeDoubleBE(price, 1);
  bytes.writeDoubleBE(purchaseDate, 9);
  bytes[17] = LENGTH_BASE + idLength;
  bytes.write(customerId, 18, idLength, 'utf8');
  const item = 18 + idLength;
  bytes[item] = LENGTH_BASE + itemLength;
  bytes.write(itemPurchased, item + 1, itemLength, 'utf8');
  return bytes;
}

/** The JSON tuple (format 1): `[customerId, itemPurchased, price, purchaseDate]`, the date as epoch ms in base 36. */
function writeTuple(data: JoinPurchase): Buffer {
  return Buffer.from(
    JSON.stringify([data.customerId, data.itemPurchased, data.price, base36(data.purchaseDate)]),
    'utf8',
  );
}

/** The binary form; the JSON tuple for strings too long for it (or fields not of their types). */
const serializer: Serializer<JoinPurchase> = {
  serialize(_topic, data) {
    if (data == null) return null;
    const bytes = (writeBinary(data) ?? writeTuple(data)) as JoinPurchaseBytes;
    // A plain assignment (a property added to the buffer): a fraction of defineProperty's cost.
    if (readsBack(data)) bytes[WRITTEN_FROM] = data;
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

/** Reads the binary form (see {@link writeBinary}). */
function readBinary(topic: string, data: Buffer): JoinPurchase {
  const idLength = data.length > 17 ? data[17]! - LENGTH_BASE : -1;
  const item = 18 + idLength;
  const itemLength = idLength >= 0 && data.length > item ? data[item]! - LENGTH_BASE : -1;
  if (idLength < 0 || itemLength < 0 || data.length !== BINARY_FIXED + idLength + itemLength)
    throw invalid(topic, undefined, `is a malformed join purchase (${data.length} bytes)`);
  const price = data.readDoubleBE(1);
  const purchaseDate = data.readDoubleBE(9);
  if (!Number.isFinite(price)) throw invalid(topic, 'price', 'is invalid: price');
  if (!Number.isSafeInteger(purchaseDate) || purchaseDate < 0)
    throw invalid(topic, 'purchaseDate', 'is invalid: purchaseDate');
  return Object.freeze({
    customerId: data.toString('utf8', 18, item),
    itemPurchased: data.toString('utf8', item + 1, data.length),
    price,
    purchaseDate,
  });
}

/** Reads the JSON forms: the tuple (format 1) or a whole purchase. */
function readJson(topic: string, data: Buffer): JoinPurchase {
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
}

const deserializer: Deserializer<JoinPurchase> = {
  deserialize(topic, data) {
    if (data == null) throw invalid(topic, undefined, 'is a null value (tombstone)');
    const written = (data as JoinPurchaseBytes)[WRITTEN_FROM];
    if (written !== undefined) return written;
    return data[0] === BINARY ? readBinary(topic, data) : readJson(topic, data);
  },
};

/**
 * Serde of the join's repartition topics and window stores: a {@link JoinPurchase} in a compact
 * binary form (JSON is most of the cost of writing and reading it). Reads also the JSON tuple and
 * a whole purchase's JSON (what earlier versions wrote), so in-flight repartition records and
 * window changelogs stay readable across an upgrade. The structure is
 * checked (each field of its type, a readable date), not every range again: the purchase was
 * validated when read from `purchases`. Anything else is a `DeserializationError` naming the field.
 */
export const joinPurchaseSerde: Serde<JoinPurchase> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};
