import { type CorrelatedPurchase, type CorrelatedPurchaseJson, correlatedPurchaseToJson } from '@gmart/gmart';
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
 * A coupon as histories hold it: frozen (its items too), a copy of the coupon it was made from,
 * carrying its format-2 tuple text once written (in a private field, which freezing leaves
 * writable and which no reader of the coupon sees). A coupon appears in many histories of its
 * customer: its text is written once, not once per history or per write of one.
 */
class SealedCoupon implements CorrelatedPurchase {
  declare readonly customerId: string;
  declare readonly firstPurchaseDate: number | null;
  declare readonly secondPurchaseDate: number | null;
  declare readonly itemsPurchased: string[];
  declare readonly totalAmount: number;
  #tuple: string | undefined = undefined;

  constructor(c: CorrelatedPurchase, items: string[]) {
    // Assigned in the order of the coupon's fields (JSON.stringify and Object.keys see that order).
    (this as { customerId: string }).customerId = c.customerId;
    (this as { firstPurchaseDate: number | null }).firstPurchaseDate = c.firstPurchaseDate;
    (this as { secondPurchaseDate: number | null }).secondPurchaseDate = c.secondPurchaseDate;
    (this as { itemsPurchased: string[] }).itemsPurchased = items;
    (this as { totalAmount: number }).totalAmount = c.totalAmount;
    Object.freeze(this);
  }

  /** The coupon's format-2 tuple as JSON text, written the first time it is needed. */
  tuple(): string {
    return (this.#tuple ??= storedCoupon(this));
  }
}

/** `c` as a {@link SealedCoupon}: itself if it is one, else a frozen copy (`c` is not frozen). */
function sealedCoupon(c: CorrelatedPurchase): SealedCoupon {
  if (c instanceof SealedCoupon) return c;
  return new SealedCoupon(c, Object.freeze([...c.itemsPurchased]) as string[]);
}

/**
 * A history made by {@link HistoryDraft.seal} or read by the serde: it and its coupons are frozen
 * ({@link SealedCoupon}s), so its stored form, once known, holds for good. It carries its bytes once
 * written, which the serializer hands out as they are. It refers to no other history, so an old one
 * is collected as soon as nothing else holds it.
 */
class SealedHistory extends Array<CorrelatedPurchase> {
  /** `map`, `slice`, ... of a sealed history make plain arrays. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  #bytes: Buffer | undefined;

  /** The stored form, written the first time it is needed. */
  written(): Buffer {
    return (this.#bytes ??= encode(this));
  }
}

/** A frozen {@link SealedHistory} of `coupons` (sealed coupons, latest first). */
function sealHistory(coupons: readonly SealedCoupon[]): SealedHistory {
  const n = coupons.length;
  // At its final length from the start, filled by index: push on an Array subclass misses V8's
  // fast path (~10x slower), and growing by indexed writes allocates a backing store per growth.
  const history = new SealedHistory(n);
  for (let i = 0; i < n; i++) history[i] = coupons[i]!;
  Object.freeze(history);
  return history;
}

/**
 * A customer's history being built, coupon by coupon: {@link add} does what {@link addCoupon} does,
 * in place (no new history per coupon), and {@link seal} gives the history so far as a frozen
 * {@link SealedHistory}, which the draft's later coupons do not change. The coupons store holds a
 * customer's draft between two commits ({@link WriteBehindKeyValueStore}'s drafts): a customer gets
 * several coupons between two commits, and each history is up to `limit` coupons long, so a history
 * is copied and frozen once per customer and commit (or query), not once per coupon.
 */
export class HistoryDraft {
  /** The history so far, latest first (sealed coupons; only this draft holds the array). */
  readonly #coupons: SealedCoupon[];
  readonly #limit: number;
  /** {@link seal}'s history, until the next coupon is added. */
  #sealed: SealedHistory | undefined;

  constructor(base: CouponHistory, limit: number) {
    this.#limit = limit;
    const coupons: SealedCoupon[] = [];
    for (let i = 0; i < base.length; i++) coupons.push(sealedCoupon(base[i]!));
    this.#coupons = coupons;
    this.#sealed = base instanceof SealedHistory ? base : undefined;
  }

  /**
   * Adds `coupon` as {@link addCoupon} does; true when the history changed (false: it held the
   * coupon already, or the coupon is older than every one of a full history).
   */
  add(coupon: CorrelatedPurchase): boolean {
    const coupons = this.#coupons;
    const limit = this.#limit;
    const t = couponTime(coupon);
    // Latest first: the coupon goes before the first one not later than it; one it duplicates has
    // the same time, so it is among those of equal time from there on (usually none: a new coupon
    // is mostly the customer's latest).
    let at = 0;
    while (at < coupons.length && couponTime(coupons[at]!) > t) at++;
    for (let i = at; i < coupons.length && couponTime(coupons[i]!) === t; i++)
      if (sameCoupon(coupons[i]!, coupon)) return false;
    // Older than every one of a full history: nothing changes.
    if (at >= limit && coupons.length <= limit) return false;
    if (at < limit) {
      if (at === 0) coupons.unshift(sealedCoupon(coupon));
      else coupons.splice(at, 0, sealedCoupon(coupon));
    }
    // A history longer than the limit (read back after the limit was lowered) is cut to it.
    if (coupons.length > limit) coupons.length = limit;
    this.#sealed = undefined;
    return true;
  }

  /** The history so far: frozen, of frozen coupons; the same one until a coupon is added. */
  seal(): CouponHistory {
    return (this.#sealed ??= sealHistory(this.#coupons));
  }
}

/**
 * `history` with `coupon` added in its place (latest first; equal times keep arrival order, newer
 * first), at most `limit` entries. A coupon already held is not added twice, so a join result
 * replayed after a crash leaves the history as it was (the same history is returned). The new
 * history and its coupons are frozen (`coupon` itself is copied, not frozen), which lets the
 * store's serde skip re-reading it. Each call copies the history: a writer adding many coupons to
 * one history uses a {@link HistoryDraft}.
 */
export function addCoupon(history: CouponHistory, coupon: CorrelatedPurchase, limit: number): CouponHistory {
  const draft = new HistoryDraft(history, limit);
  return draft.add(coupon) ? draft.seal() : history;
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

/** A coupon's tuple text: a sealed coupon's own (written once), any other written now. */
function tupleOf(c: CorrelatedPurchase): string {
  return c instanceof SealedCoupon ? c.tuple() : storedCoupon(c);
}

/**
 * The stored form of `data`: format 2 from its coupons' tuple texts, or the explicit JSON form when
 * its coupons are not all of one customer id (coupons of one key always share it).
 */
function encode(data: CouponHistory): Buffer {
  const customerId = data[0]?.customerId ?? '';
  const tuples = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c.customerId !== customerId)
      return Buffer.from(JSON.stringify(data.map(correlatedPurchaseToJson)), 'utf8');
    tuples[i] = tupleOf(c);
  }
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
    if (!(data instanceof SealedHistory)) return encode(data);
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
  const read: SealedCoupon[] = [];
  for (const raw of coupons as unknown[]) {
    if (!Array.isArray(raw) || raw.length !== 4 || typeof raw[2] !== 'number')
      throw invalid(topic, 'holds an invalid coupon');
    read.push(
      new SealedCoupon(
        {
          customerId,
          firstPurchaseDate: fromBase36(topic, raw[0]),
          secondPurchaseDate: fromBase36(topic, raw[1]),
          itemsPurchased: [],
          totalAmount: raw[2],
        },
        items(topic, raw[3]),
      ),
    );
  }
  return sealHistory(read);
}

/** Format 1: an array of {@link CorrelatedPurchaseJson} (written before format 2, still read). */
function fromJsonArray(topic: string, parsed: unknown[]): CouponHistory {
  const read: SealedCoupon[] = [];
  for (const item of parsed) {
    const raw = item as Partial<CorrelatedPurchaseJson> | null;
    if (!raw || typeof raw.customerId !== 'string' || typeof raw.totalAmount !== 'number')
      throw invalid(topic, 'holds an invalid coupon');
    read.push(
      new SealedCoupon(
        {
          customerId: raw.customerId,
          firstPurchaseDate: instant(topic, raw.firstPurchaseDate ?? null),
          secondPurchaseDate: instant(topic, raw.secondPurchaseDate ?? null),
          itemsPurchased: [],
          totalAmount: raw.totalAmount,
        },
        items(topic, raw.itemsPurchased),
      ),
    );
  }
  return sealHistory(read);
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
