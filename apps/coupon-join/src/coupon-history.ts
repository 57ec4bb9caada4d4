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

/** A frozen copy of `c` (histories hold only frozen coupons; see {@link couponHistorySerde}). */
function frozenCoupon(c: CorrelatedPurchase): CorrelatedPurchase {
  if (Object.isFrozen(c) && Object.isFrozen(c.itemsPurchased)) return c;
  return Object.freeze({
    customerId: c.customerId,
    firstPurchaseDate: c.firstPurchaseDate,
    secondPurchaseDate: c.secondPurchaseDate,
    itemsPurchased: Object.freeze([...c.itemsPurchased]) as string[],
    totalAmount: c.totalAmount,
  });
}

/**
 * Histories whose array and coupons are all frozen (made by {@link addCoupon} or read by the
 * serde): their stored form can be remembered, since nothing can change them afterwards.
 */
const frozenHistories = new WeakSet<CouponHistory>();

/** Freezes `coupons` (all frozen already) as a history and records it as such. */
function frozenHistory(coupons: CorrelatedPurchase[]): CouponHistory {
  const history = Object.freeze(coupons);
  frozenHistories.add(history);
  return history;
}

/** How {@link addCoupon} made a history: `base` with `coupon` inserted at `at`, then cut to its length. */
interface Derivation {
  readonly base: CouponHistory;
  readonly at: number;
  readonly coupon: CorrelatedPurchase;
}

/** Histories made by {@link addCoupon}, by how: the serializer writes them from their base's bytes. */
const derivations = new WeakMap<CouponHistory, Derivation>();

/**
 * `history` with `coupon` added in its place (latest first; equal times keep arrival order, newer
 * first), at most `limit` entries. A coupon already held is not added twice, so a join result
 * replayed after a crash leaves the history as it was. The new history and its coupons are frozen
 * (`coupon` itself is copied, not frozen), which lets the store's serde skip re-reading it.
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
  const next: CorrelatedPurchase[] = [];
  // A frozen history's coupons are frozen already (addCoupon and the serde make only such): taken as they are.
  const keep = frozenHistories.has(history) ? (c: CorrelatedPurchase) => c : frozenCoupon;
  for (let i = 0; i < at && next.length < limit; i++) next.push(keep(history[i]!));
  if (next.length < limit) next.push(frozenCoupon(coupon));
  for (let i = at; i < history.length && next.length < limit; i++) next.push(keep(history[i]!));
  const result = frozenHistory(next);
  if (at < limit) derivations.set(result, { base: history, at, coupon: next[at]! });
  return result;
}

/**
 * The stored form (format 2): one customer id and each coupon as a compact tuple
 * `[firstPurchaseDate, secondPurchaseDate, totalAmount, itemsPurchased]`, dates as epoch ms in
 * base 36 (or null). A history is rewritten whole on every coupon and read whole on every join
 * result, so it avoids per-coupon ISO dates and field names (they were most of coupon-join's CPU
 * per record). Base 36, not decimal: a 13-digit decimal epoch is Luhn-valid one time in ten, and
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

/** A coupon's format-2 tuple as JSON text. */
function storedCoupon(c: CorrelatedPurchase): string {
  return JSON.stringify([
    base36(c.firstPurchaseDate),
    base36(c.secondPurchaseDate),
    c.totalAmount,
    c.itemsPurchased,
  ]);
}

/**
 * Format-2 tuples of frozen coupons already written (a history is rewritten whole on every coupon,
 * mostly of coupons it held before). Only frozen coupons: their fields cannot change afterwards.
 */
const storedCoupons = new WeakMap<CorrelatedPurchase, string>();

/**
 * Frozen histories by the exact buffer {@link serializer} made of them. The caching layer hands a
 * written value back as that same buffer, so the next `get` of the key skips parsing what was just
 * written. Nothing writes into those buffers; a buffer read from anywhere else is parsed.
 */
const historyOfBuffer = new WeakMap<Buffer, CouponHistory>();

/** The stored form of a frozen history as written: its bytes and where each coupon's tuple starts in them. */
interface Layout {
  readonly bytes: Buffer;
  readonly starts: readonly number[];
}

/**
 * Layouts of frozen histories written (nothing writes into their buffers). A history is rewritten
 * whole on every coupon, mostly of the tuples its base history had: {@link derivedBytes} copies
 * those bytes instead of encoding every tuple again.
 */
const layouts = new WeakMap<CouponHistory, Layout>();

const COMMA = 0x2c;
/** `]}`: what ends the stored form after the last tuple. */
const END = Buffer.from(']}', 'latin1');

/**
 * The stored form of `data` built from its base history's bytes, when `data` was made by
 * {@link addCoupon} from a non-empty history of the same customer whose bytes are known: the
 * base's prefix and tuples before the insertion point, the new coupon's tuple, then the base's
 * tuples kept after it, each copied. Byte for byte what {@link toStored} writes.
 */
function derivedBytes(data: CouponHistory): Layout | undefined {
  const d = derivations.get(data);
  if (d === undefined || d.base.length === 0) return undefined;
  const base = layouts.get(d.base);
  if (base === undefined || d.coupon.customerId !== d.base[0]!.customerId) return undefined;
  const { bytes: old, starts: oldStarts } = base;
  const n = oldStarts.length;
  const at = d.at;
  // Tuples of the base kept after the new one.
  const kept = data.length - at - 1;
  /** Where tuple `i` of the base ends (before its comma, or before `]}` for the last). */
  const endOf = (i: number) => (i + 1 < n ? oldStarts[i + 1]! - 1 : old.length - END.length);
  let tuple = storedCoupons.get(d.coupon);
  if (tuple === undefined) storedCoupons.set(d.coupon, (tuple = storedCoupon(d.coupon)));
  const tupleBytes = Buffer.byteLength(tuple, 'utf8');
  const head = at === 0 ? oldStarts[0]! : endOf(at - 1);
  const tailFrom = kept > 0 ? oldStarts[at]! : 0;
  const tailTo = kept > 0 ? endOf(at + kept - 1) : 0;
  const size = head + (at === 0 ? 0 : 1) + tupleBytes + (kept > 0 ? 1 + tailTo - tailFrom : 0) + END.length;
  const out = Buffer.allocUnsafe(size);
  let pos = old.copy(out, 0, 0, head);
  if (at > 0) out[pos++] = COMMA;
  const tupleAt = pos;
  pos += out.write(tuple, pos, 'utf8');
  const starts: number[] = new Array(data.length);
  for (let i = 0; i < at; i++) starts[i] = oldStarts[i]!;
  starts[at] = tupleAt;
  if (kept > 0) {
    out[pos++] = COMMA;
    const shift = pos - tailFrom;
    pos += old.copy(out, pos, tailFrom, tailTo);
    for (let i = 0; i < kept; i++) starts[at + 1 + i] = oldStarts[at + i]! + shift;
  }
  END.copy(out, pos);
  return { bytes: out, starts };
}

/** The layout of `bytes` written by {@link toStored} for `data` (each tuple's byte length). */
function layoutOf(data: CouponHistory, bytes: Buffer): Layout {
  const starts: number[] = new Array(data.length);
  let pos = Buffer.byteLength(
    `{"v":2,"customerId":${JSON.stringify(data[0]!.customerId)},"coupons":[`,
    'utf8',
  );
  for (let i = 0; i < data.length; i++) {
    starts[i] = pos;
    pos += Buffer.byteLength(storedCoupons.get(data[i]!)!, 'utf8') + 1;
  }
  return { bytes, starts };
}

/** Format 2 as JSON text, or null when the coupons are not all of one customer id. */
function toStored(data: CouponHistory): string | null {
  const customerId = data[0]?.customerId ?? '';
  let coupons = '';
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c.customerId !== customerId) return null;
    let tuple = storedCoupons.get(c);
    if (tuple === undefined) {
      tuple = storedCoupon(c);
      if (frozenHistories.has(data)) storedCoupons.set(c, tuple);
    }
    coupons += i === 0 ? tuple : `,${tuple}`;
  }
  return `{"v":2,"customerId":${JSON.stringify(customerId)},"coupons":[${coupons}]}`;
}

const serializer: Serializer<CouponHistory> = {
  serialize: (_topic, data) => {
    if (data == null) return null;
    const frozen = frozenHistories.has(data);
    const derived = frozen ? derivedBytes(data) : undefined;
    // Written: its base is needed no more. Kept, each history would hold its base, and that its own,
    // back to the customer's first coupon (a chain of histories and their bytes that grew for ever).
    if (frozen) derivations.delete(data);
    if (derived !== undefined) {
      layouts.set(data, derived);
      historyOfBuffer.set(derived.bytes, data);
      return derived.bytes;
    }
    // Coupons of one key always share its customer id; mixed ids keep the explicit JSON form.
    const stored = toStored(data);
    const bytes = Buffer.from(stored ?? JSON.stringify(data.map(correlatedPurchaseToJson)), 'utf8');
    if (frozen) {
      historyOfBuffer.set(bytes, data);
      if (stored !== null && data.length > 0) layouts.set(data, layoutOf(data, bytes));
    }
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
  return frozenHistory(
    coupons.map((raw: unknown) => {
      if (!Array.isArray(raw) || raw.length !== 4 || typeof raw[2] !== 'number')
        throw invalid(topic, 'holds an invalid coupon');
      return Object.freeze({
        customerId,
        firstPurchaseDate: fromBase36(topic, raw[0]),
        secondPurchaseDate: fromBase36(topic, raw[1]),
        itemsPurchased: items(topic, raw[3]),
        totalAmount: raw[2],
      });
    }),
  );
}

/** Format 1: an array of {@link CorrelatedPurchaseJson} (written before format 2, still read). */
function fromJsonArray(topic: string, parsed: unknown[]): CouponHistory {
  return frozenHistory(
    parsed.map((item: unknown) => {
      const raw = item as Partial<CorrelatedPurchaseJson> | null;
      if (!raw || typeof raw.customerId !== 'string' || typeof raw.totalAmount !== 'number')
        throw invalid(topic, 'holds an invalid coupon');
      return Object.freeze({
        customerId: raw.customerId,
        firstPurchaseDate: instant(topic, raw.firstPurchaseDate ?? null),
        secondPurchaseDate: instant(topic, raw.secondPurchaseDate ?? null),
        itemsPurchased: items(topic, raw.itemsPurchased),
        totalAmount: raw.totalAmount,
      });
    }),
  );
}

/**
 * Reads what {@link serializer} wrote (the store's own changelog), in either format: the structure
 * is checked, not every field's range again (each coupon was validated when it was issued). The
 * history read is frozen. A buffer the serializer itself made gives back the (frozen) history it
 * was made of, unparsed.
 */
const deserializer: Deserializer<CouponHistory> = {
  deserialize: (topic, data) => {
    if (data == null) return null;
    const written = historyOfBuffer.get(data);
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
