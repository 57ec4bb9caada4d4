import {
  type CorrelatedPurchase,
  type CorrelatedPurchaseJson,
  type CorrelatedPurchaseMaker,
  correlatedPurchaseToJson,
} from '@gmart/gmart';
import { type Deserializer, SerializationError, type Serde, type Serializer } from '@gmart/streams';

/** What the coupons store keeps per customer id: the customer's coupons, latest first. */
export type CouponHistory = readonly CorrelatedPurchase[];

/** Event time of a coupon: the later of its two purchases (the join result's timestamp). */
export function couponTime(c: CorrelatedPurchase): number {
  return Math.max(c.firstPurchaseDate ?? -Infinity, c.secondPurchaseDate ?? -Infinity);
}

/** Identity of a coupon: a replayed join result (at-least-once) has the same one. */
export function sameCoupon(a: CorrelatedPurchase, b: CorrelatedPurchase): boolean {
  return (
    a.customerId === b.customerId &&
    a.firstPurchaseDate === b.firstPurchaseDate &&
    a.secondPurchaseDate === b.secondPurchaseDate &&
    a.totalAmount === b.totalAmount &&
    a.itemsPurchased.length === b.itemsPurchased.length &&
    a.itemsPurchased.every((item, i) => item === b.itemsPurchased[i])
  );
}

/**
 * A coupon as sealed histories hold it: frozen (its items too), and carrying its format-2 tuple
 * text once written (the tuple holds no customer id, so it stands in any history of the customer):
 * a coupon's tuple is written once, however many histories (one per coupon the customer gets
 * after it) and commits hold it.
 */
class HeldCoupon implements CorrelatedPurchase {
  readonly customerId: string;
  readonly firstPurchaseDate: number | null;
  readonly secondPurchaseDate: number | null;
  readonly itemsPurchased: string[];
  readonly totalAmount: number;
  /** The format-2 tuple text (a private field: written on the frozen coupon, not a property). */
  #tuple: string | undefined = undefined;
  /** Its length in UTF-8 bytes. */
  #tupleBytes = -1;

  /** `itemsPurchased` must be frozen already. */
  constructor(
    customerId: string,
    firstPurchaseDate: number | null,
    secondPurchaseDate: number | null,
    itemsPurchased: string[],
    totalAmount: number,
  ) {
    this.customerId = customerId;
    this.firstPurchaseDate = firstPurchaseDate;
    this.secondPurchaseDate = secondPurchaseDate;
    this.itemsPurchased = itemsPurchased;
    this.totalAmount = totalAmount;
    Object.freeze(this);
  }

  /** The format-2 tuple text, written the first time it is needed. */
  tuple(): string {
    return (this.#tuple ??= storedCoupon(this));
  }

  /** The UTF-8 length of {@link tuple}, found the first time it is needed. */
  tupleBytes(): number {
    if (this.#tupleBytes < 0) this.#tupleBytes = Buffer.byteLength(this.tuple(), 'utf8');
    return this.#tupleBytes;
  }
}

/** Bytes in format 2 and where each of their tuples starts (one more: where a tuple after the last would, past a comma). */
interface Layout {
  readonly bytes: Buffer;
  readonly starts: Int32Array;
}

/**
 * Makes a join result in the form the coupons store holds (frozen, its items too), for
 * `correlatePurchases`' `make`: the joiner's result is then taken into histories as it is,
 * instead of a frozen copy of it.
 */
export const heldCoupon: CorrelatedPurchaseMaker<CorrelatedPurchase> = (
  customerId,
  firstPurchaseDate,
  secondPurchaseDate,
  itemsPurchased,
  totalAmount,
) =>
  new HeldCoupon(
    customerId,
    firstPurchaseDate,
    secondPurchaseDate,
    Object.freeze(itemsPurchased) as string[],
    totalAmount,
  );

/** `c` if it is held already, else a held (frozen) copy of it (sealed histories hold only those). */
function held(c: CorrelatedPurchase): HeldCoupon {
  if (c instanceof HeldCoupon) return c;
  return new HeldCoupon(
    c.customerId,
    c.firstPurchaseDate,
    c.secondPurchaseDate,
    Object.freeze([...c.itemsPurchased]) as string[],
    c.totalAmount,
  );
}

/**
 * A history made by {@link addCoupon} or read by the serde: it and its coupons are frozen, so its
 * stored form, once known, holds for good. Its coupons carry their format-2 tuple texts once
 * written ({@link HeldCoupon}), and it carries its bytes once written, which the serializer hands
 * out as they are. One made by {@link addCoupon} refers, until it is written, to at most the one
 * written history its bytes are copied from in part (which refers to none), so an old one is
 * collected as soon as nothing else holds it.
 */
class SealedHistory extends Array<HeldCoupon> {
  /** `map`, `slice`, ... of a sealed history make plain arrays. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  #bytes: Buffer | undefined;
  /** Where each tuple starts in {@link #bytes}, once written in format 2. */
  #starts: Int32Array | undefined;
  /**
   * For a history made by {@link addCoupon} in front of others: a history written in format 2
   * whose first {@link #kept} coupons are this one's last, after its first {@link #fresh}. Dropped
   * once this one is written (and never set on a history that has one), so a history refers to at
   * most one other, itself referring to none, and only until it is written.
   */
  #from: SealedHistory | undefined;
  #fresh = 0;
  #kept = 0;

  /** Freezes the history (its coupons are frozen already). */
  seal(): this {
    return Object.freeze(this);
  }

  /**
   * Notes that this history is `base` with one coupon put in front (at most `limit` kept), so its
   * bytes can be copied in part from the written history `base` is or was made from.
   */
  inFrontOf(base: SealedHistory, limit: number): void {
    // Format 2 holds coupons of one customer id: the written history's (its header's).
    if (this[0]!.customerId !== base[0]?.customerId) return;
    let from: SealedHistory | undefined;
    let fresh: number;
    let kept: number;
    if (base.#starts !== undefined) {
      from = base;
      fresh = 1;
      kept = base.length;
    } else if (base.#from !== undefined) {
      from = base.#from;
      fresh = base.#fresh + 1;
      kept = base.#kept;
    } else return;
    fresh = Math.min(fresh, limit);
    kept = Math.min(kept, limit - fresh);
    if (kept === 0) return;
    this.#from = from;
    this.#fresh = fresh;
    this.#kept = kept;
  }

  /** The stored form, written the first time it is needed. */
  written(): Buffer {
    if (this.#bytes !== undefined) return this.#bytes;
    const tuples = this.#from === undefined ? tuplesOf(this) : null;
    if (this.#from === undefined && tuples === null) return (this.#bytes = encode(this, null));
    const { bytes, starts } =
      this.#from === undefined ? this.encoded(tuples!) : this.copied(this.#from.#bytes!, this.#from.#starts!);
    this.#bytes = bytes;
    this.#starts = starts;
    this.#from = undefined;
    return bytes;
  }

  /** Written afresh from its coupons' tuple texts, with where each starts. */
  private encoded(tuples: readonly string[]): Layout {
    const bytes = encode(this, tuples);
    const starts = new Int32Array(this.length + 1);
    // The header's length: the whole, less the tuples, their commas and the closing `]}`.
    let at = bytes.length - 2 - Math.max(0, this.length - 1);
    for (let i = 0; i < this.length; i++) at -= this[i]!.tupleBytes();
    for (let i = 0; i < this.length; i++) {
      starts[i] = at;
      at += this[i]!.tupleBytes() + 1;
    }
    starts[this.length] = at;
    return { bytes, starts };
  }

  /**
   * Written from the bytes of {@link #from}: its header (the same customer id), this history's
   * first {@link #fresh} tuples, then its first {@link #kept} tuples as they are: the bytes
   * {@link encoded} writes.
   */
  private copied(fromBytes: Buffer, fromStarts: Int32Array): Layout {
    const fresh = this.#fresh;
    const kept = this.#kept;
    const header = fromStarts[0]!;
    const tail = fromStarts[kept]! - 1 - header;
    let size = header + tail + 2;
    for (let i = 0; i < fresh; i++) size += this[i]!.tupleBytes() + 1;
    const bytes = Buffer.allocUnsafe(size);
    const starts = new Int32Array(this.length + 1);
    let at = fromBytes.copy(bytes, 0, 0, header);
    for (let i = 0; i < fresh; i++) {
      starts[i] = at;
      at += bytes.write(this[i]!.tuple(), at, 'utf8');
      bytes[at++] = COMMA;
    }
    const shift = at - header;
    at += fromBytes.copy(bytes, at, header, header + tail);
    for (let j = 0; j <= kept; j++) starts[fresh + j] = fromStarts[j]! + shift;
    bytes[at++] = CLOSE_BRACKET;
    bytes[at] = CLOSE_BRACE;
    return { bytes, starts };
  }
}

const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * `history` with `coupon` added in its place (latest first; equal times keep arrival order, newer
 * first), at most `limit` entries. A coupon already held is not added twice, so a join result
 * replayed after a crash leaves the history as it was. The new history and its coupons are frozen:
 * a coupon made by {@link heldCoupon} is taken as it is, any other is copied (not frozen). Its
 * bytes are written when the store needs them (once per commit), from its coupons' tuple texts,
 * each written once; a coupon put in front of a history written (or made from one written) in
 * format 2 is noted, so those bytes are copied from the written one's but for the new tuples.
 */
export function addCoupon(history: CouponHistory, coupon: CorrelatedPurchase, limit: number): CouponHistory {
  const t = couponTime(coupon);
  // Latest first: the coupon goes before the first one not later than it; one it duplicates has
  // the same time, so it is among those of equal time from there on (usually none: a new coupon
  // is mostly the customer's latest).
  let at = 0;
  while (at < history.length && couponTime(history[at]!) > t) at++;
  for (let i = at; i < history.length && couponTime(history[i]!) === t; i++)
    if (sameCoupon(history[i]!, coupon)) return history;
  // Older than every one of a full history: nothing changes.
  if (at >= limit && history.length <= limit) return history;
  // Its final length from the start (the loops below fill exactly that many): one backing store of
  // that size, where growing an empty array by indexed writes allocated three (17, 41 and 77 slots
  // for 50 coupons), each copied into the next: most of a coupon's allocation, so of its GC work.
  const size = Math.min(limit, history.length + 1);
  const next = new SealedHistory(size);
  // Indexed writes, not push: push on an Array subclass misses V8's fast path (~10x slower). A
  // sealed history's coupons are held already (held() gives them back as they are).
  let n = 0;
  if (history instanceof SealedHistory) {
    // Its coupons are held already: copied as they are, without a check each.
    for (let i = 0; i < at && n < limit; i++) next[n++] = history[i]!;
    if (n < limit) next[n++] = held(coupon);
    for (let i = at; i < history.length && n < limit; i++) next[n++] = history[i]!;
  } else {
    for (let i = 0; i < at && n < limit; i++) next[n++] = held(history[i]!);
    if (n < limit) next[n++] = held(coupon);
    for (let i = at; i < history.length && n < limit; i++) next[n++] = held(history[i]!);
  }
  if (at === 0 && history instanceof SealedHistory) next.inFrontOf(history, limit);
  return next.seal();
}

/**
 * The stored form (format 2): one customer id and each coupon as a compact tuple
 * `[firstPurchaseDate, secondPurchaseDate, totalAmount, itemsPurchased]`, dates as epoch ms in
 * base 36 (or null). A history is stored whole (written once per customer and commit), so it
 * avoids per-coupon ISO dates and field names (they were most of coupon-join's CPU per record
 * when every coupon rewrote it). Base 36, not decimal: a 13-digit decimal epoch is Luhn-valid one time in ten, and
 * the project's card-number scans rightly flag such runs in any topic.
 */
interface StoredHistory {
  readonly v: 2;
  readonly customerId: string;
  readonly coupons: readonly (readonly [string | null, string | null, number, readonly string[]])[];
}

/** 36^5: splits an epoch-ms date into two small integers, whose `toString(36)` is fast (a 13-digit number's is ~1 µs). */
const B36_LOW = 36 ** 5;

/** `ms.toString(36)`, without V8's slow radix conversion of large doubles. */
function base36(ms: number | null): string | null {
  if (ms === null) return null;
  if (!Number.isSafeInteger(ms) || ms < 0) return ms.toString(36);
  if (ms < B36_LOW) return ms.toString(36);
  const high = Math.floor(ms / B36_LOW);
  return high.toString(36) + (ms - high * B36_LOW).toString(36).padStart(5, '0');
}

/** A coupon's format-2 tuple as JSON text (V8's JSON.stringify of the array beats building it by hand). */
function storedCoupon(c: CorrelatedPurchase): string {
  return JSON.stringify([
    base36(c.firstPurchaseDate),
    base36(c.secondPurchaseDate),
    c.totalAmount,
    c.itemsPurchased,
  ]);
}

/** Each coupon's tuple text, or `null` when the coupons are not all of one customer id. */
function tuplesOf(data: CouponHistory): string[] | null {
  const customerId = data[0]?.customerId ?? '';
  const tuples = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c.customerId !== customerId) return null;
    tuples[i] = c instanceof HeldCoupon ? c.tuple() : storedCoupon(c);
  }
  return tuples;
}

/**
 * The stored form of `data`: format 2 from its coupons' tuple texts, or the explicit JSON form when
 * its coupons are not all of one customer id (`tuples` null; coupons of one key always share it).
 */
function encode(data: CouponHistory, tuples: readonly string[] | null): Buffer {
  if (tuples === null) return Buffer.from(JSON.stringify(data.map(correlatedPurchaseToJson)), 'utf8');
  const customerId = data[0]?.customerId ?? '';
  return Buffer.from(
    `{"v":2,"customerId":${JSON.stringify(customerId)},"coupons":[${tuples.join(',')}]}`,
    'utf8',
  );
}

/**
 * On a buffer the serializer handed out for a sealed history: that history. The caching layer
 * hands a written value back as that same buffer, so the next `get` of the key skips parsing what
 * was just written. Nothing writes into those buffers; a buffer read from anywhere else is parsed.
 */
const WRITTEN_FROM = Symbol('coupon history written');

type HistoryBytes = Buffer & { readonly [WRITTEN_FROM]?: SealedHistory };

const serializer: Serializer<CouponHistory> = {
  serialize: (_topic, data) => {
    if (data == null) return null;
    // A history someone may still change is written afresh every time, and never read back unparsed.
    if (!(data instanceof SealedHistory)) return encode(data, tuplesOf(data));
    const bytes = data.written() as HistoryBytes;
    if (bytes[WRITTEN_FROM] === undefined) Object.defineProperty(bytes, WRITTEN_FROM, { value: data });
    return bytes;
  },
};

function invalid(topic: string, what: string): SerializationError {
  return new SerializationError(`coupon history on topic "${topic}" ${what}`);
}

/** An ISO-8601 date (format 1). */
function instant(topic: string, v: unknown): number | null {
  if (v === null) return null;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw invalid(topic, 'has an invalid date');
  return ms;
}

/** An epoch-ms date in base 36 (format 2). */
function fromBase36(topic: string, v: unknown): number | null {
  if (v === null) return null;
  const ms = typeof v === 'string' && /^-?[0-9a-z]{1,12}$/.test(v) ? parseInt(v, 36) : NaN;
  if (!Number.isSafeInteger(ms)) throw invalid(topic, 'has an invalid date');
  return ms;
}

function items(topic: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw invalid(topic, 'holds an invalid coupon');
  return Object.freeze(v.map(String)) as string[];
}

/** Format 2 ({@link StoredHistory}). */
function fromStored(topic: string, parsed: Partial<StoredHistory>): CouponHistory {
  const { customerId, coupons } = parsed;
  if (typeof customerId !== 'string' || !Array.isArray(coupons)) throw invalid(topic, 'is malformed');
  const history = new SealedHistory();
  for (const raw of coupons as unknown[]) {
    if (!Array.isArray(raw) || raw.length !== 4 || typeof raw[2] !== 'number')
      throw invalid(topic, 'holds an invalid coupon');
    history[history.length] = new HeldCoupon(
      customerId,
      fromBase36(topic, raw[0]),
      fromBase36(topic, raw[1]),
      items(topic, raw[3]),
      raw[2],
    );
  }
  return history.seal();
}

/** Format 1: an array of {@link CorrelatedPurchaseJson} (written before format 2, still read). */
function fromJsonArray(topic: string, parsed: unknown[]): CouponHistory {
  const history = new SealedHistory();
  for (const item of parsed) {
    const raw = item as Partial<CorrelatedPurchaseJson> | null;
    if (!raw || typeof raw.customerId !== 'string' || typeof raw.totalAmount !== 'number')
      throw invalid(topic, 'holds an invalid coupon');
    history[history.length] = new HeldCoupon(
      raw.customerId,
      instant(topic, raw.firstPurchaseDate ?? null),
      instant(topic, raw.secondPurchaseDate ?? null),
      items(topic, raw.itemsPurchased),
      raw.totalAmount,
    );
  }
  return history.seal();
}

/**
 * Reads what {@link serializer} wrote (the store's own changelog), in either format: the structure
 * is checked, not every field's range again (each coupon was validated when it was issued). The
 * history read is sealed (frozen). A buffer the serializer itself made gives back the sealed
 * history it was made of, unparsed.
 */
const deserializer: Deserializer<CouponHistory> = {
  deserialize: (topic, data) => {
    if (data == null) return null;
    const written = (data as HistoryBytes)[WRITTEN_FROM];
    if (written !== undefined) return written;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      throw invalid(topic, 'is not valid JSON');
    }
    if (Array.isArray(parsed)) return fromJsonArray(topic, parsed);
    if (parsed !== null && typeof parsed === 'object' && (parsed as { v?: unknown }).v === 2)
      return fromStored(topic, parsed as Partial<StoredHistory>);
    throw invalid(topic, 'must be an array or a format-2 object');
  },
};

/** JSON serde of {@link CouponHistory} (changelog values of the coupons store). */
export const couponHistorySerde: Serde<CouponHistory> = {
  serializer: () => serializer,
  deserializer: () => deserializer,
};
