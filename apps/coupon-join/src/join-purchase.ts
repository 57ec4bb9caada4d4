import { DeserializationError, type Purchase, ScannedPurchase } from '@gmart/gmart';
import type { Deserializer, Serde, Serializer } from '@gmart/streams';
import { itemOf, type ReadPurchase } from './read-purchase';
import { sharedLatin1 } from './shared-text';

/**
 * What the join keeps of a purchase: the fields the seed's `PurchaseJoiner` reads (customer id,
 * item, price, date). The join's repartition topics and window stores (and their changelogs) carry
 * this instead of the whole purchase, which `coffee` / `electronics` still get unchanged.
 */
export type JoinPurchase = Pick<Purchase, 'customerId' | 'itemPurchased' | 'price' | 'purchaseDate'>;

/** The join's part of a purchase (parsed or scanned), frozen. */
export function toJoinPurchase(p: ReadPurchase): JoinPurchase {
  return Object.freeze({
    // A scanned purchase's customer id (printable ASCII: its bytes are its characters) as the
    // window stores keep it: one string per customer (see sharedLatin1).
    customerId:
      p instanceof ScannedPurchase ? sharedLatin1(p.json, p.customerIdStart, p.customerIdEnd) : p.customerId,
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

/** Node's `Buffer` class (what `Buffer.allocUnsafe` and `subarray` make): a join purchase's bytes extend it. */
const FastBuffer = (
  Buffer as unknown as {
    [Symbol.species]: new (bytes: ArrayBuffer, offset: number, length: number) => Buffer;
  }
)[Symbol.species];

/**
 * A join purchase that is its own stored form: bytes the serializer writes for its fields (what it
 * writes for a frozen copy of them), carrying those fields. The serializer hands it out as its bytes
 * and the deserializer gives it back as it is, so a window store's value is the join purchase its
 * fetches need, without a second object beside the buffer (the bench's grace keeps every one) and
 * without writing again a purchase the repartition topic gave. Nothing writes into these bytes.
 */
abstract class JoinPurchaseBytes extends FastBuffer implements JoinPurchase {
  /** `subarray` and the like make plain buffers, which carry no fields. */
  static get [Symbol.species](): typeof FastBuffer {
    return FastBuffer;
  }

  readonly customerId: string;
  readonly itemPurchased: string;
  abstract readonly price: number;
  abstract readonly purchaseDate: number;

  /** `length` bytes at `offset` of `slab`, to be filled with the stored form of the fields given. */
  constructor(slab: ArrayBuffer, offset: number, length: number, customerId: string, itemPurchased: string) {
    super(slab, offset, length);
    this.customerId = customerId;
    this.itemPurchased = itemPurchased;
  }
}

/**
 * In the binary form, whose price and date are doubles at fixed places: read from the bytes when
 * asked, so a window store keeps no number object per purchase beside its bytes.
 */
class BinaryJoinPurchase extends JoinPurchaseBytes {
  get price(): number {
    return this.readDoubleBE(1);
  }
  get purchaseDate(): number {
    return this.readDoubleBE(9);
  }
}

/** In the JSON tuple (strings too long for the binary form): all four fields held. */
class TupleJoinPurchase extends JoinPurchaseBytes {
  readonly price: number;
  readonly purchaseDate: number;

  constructor(slab: ArrayBuffer, offset: number, length: number, data: JoinPurchase) {
    super(slab, offset, length, data.customerId, data.itemPurchased);
    this.price = data.price;
    this.purchaseDate = data.purchaseDate;
  }
}

/** Join purchases' bytes are cut from slabs of this size (as `Buffer.allocUnsafe` from its pool). */
const SLAB_BYTES = 8192;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * A {@link JoinPurchaseBytes} of `length` bytes (to be written) for `data`'s fields: in the binary
 * form (written with these price and date) or the JSON tuple.
 */
function heldBytes(length: number, data: JoinPurchase, binary: boolean): JoinPurchaseBytes {
  let buffer = slab;
  let offset = slabUsed;
  if (length > SLAB_BYTES >>> 3) {
    buffer = new ArrayBuffer(length);
    offset = 0;
  } else {
    if (offset + length > SLAB_BYTES) {
      slab = buffer = new ArrayBuffer(SLAB_BYTES);
      offset = 0;
    }
    // Each starts 8-byte aligned, as the pool's do.
    slabUsed = (offset + length + 7) & ~7;
  }
  return binary
    ? new BinaryJoinPurchase(buffer, offset, length, data.customerId, data.itemPurchased)
    : new TupleJoinPurchase(buffer, offset, length, data);
}

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
function writeBinary(data: JoinPurchase, held: boolean): Buffer | null {
  const { customerId, itemPurchased, price, purchaseDate } = data;
  if (typeof customerId !== 'string' || typeof itemPurchased !== 'string') return null;
  if (typeof price !== 'number' || typeof purchaseDate !== 'number') return null;
  const idLength = Buffer.byteLength(customerId, 'utf8');
  const itemLength = Buffer.byteLength(itemPurchased, 'utf8');
  if (idLength > MAX_BINARY_STRING || itemLength > MAX_BINARY_STRING) return null;
  const length = BINARY_FIXED + idLength + itemLength;
  const bytes = held ? heldBytes(length, data, true) : Buffer.allocUnsafe(length);
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
function writeTuple(data: JoinPurchase, held: boolean): Buffer {
  const text = JSON.stringify([data.customerId, data.itemPurchased, data.price, base36(data.purchaseDate)]);
  if (!held) return Buffer.from(text, 'utf8');
  const bytes = heldBytes(Buffer.byteLength(text, 'utf8'), data, false);
  bytes.write(text, 0, 'utf8');
  return bytes;
}

/**
 * The binary form; the JSON tuple for strings too long for it (or fields not of their types). For a
 * join purchase whose bytes read back as it ({@link readsBack}), a {@link JoinPurchaseBytes}; one
 * such is its own bytes.
 */
const serializer: Serializer<JoinPurchase> = {
  serialize(_topic, data) {
    if (data == null) return null;
    if (data instanceof JoinPurchaseBytes) return data;
    const held = readsBack(data);
    return writeBinary(data, held) ?? writeTuple(data, held);
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

/** True when `data[from..to)` are all ASCII (each byte one character in UTF-8 and latin1 alike). */
function isAscii(data: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (data[i]! >= 0x80) return false;
  return true;
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
  if (isAscii(data, 18, item) && isAscii(data, item + 1, data.length)) {
    // Its strings read and write back byte for byte: the bytes are what the serializer writes for
    // the fields read, so a copy of them is that join purchase (a window store keeps it whole; the
    // consumed bytes are a view of a whole fetch response).
    const fields: JoinPurchase = {
      customerId: sharedLatin1(data, 18, item),
      itemPurchased: sharedLatin1(data, item + 1, data.length),
      price,
      purchaseDate,
    };
    const held = heldBytes(data.length, fields, true);
    data.copy(held, 0);
    return held;
  }
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
    if (data instanceof JoinPurchaseBytes) return data;
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
