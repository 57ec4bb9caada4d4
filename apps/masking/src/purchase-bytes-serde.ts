import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  MAX_CARD_DIGITS,
  MIN_CARD_DIGITS,
  GmartSerdes,
  maskCardNumber,
  maskPurchase,
  redact,
  ScannedPurchase,
  scanPurchase,
  type Purchase,
  type PurchaseDateWindow,
  type Serde,
} from '@gmart/gmart';

/** A purchase as the masking topology reads it: scanned canonical JSON, or parsed. */
export type ReadPurchase = ScannedPurchase | Purchase;

const LUHN_ONLY = Object.freeze({ requireLuhn: true });
// Module bindings read once (a re-exported binding is a getter call per read under CommonJS).
const MIN_DIGITS = MIN_CARD_DIGITS;
const MAX_DIGITS = MAX_CARD_DIGITS;

const isSeparator = (c: number): boolean =>
  c === 0x20 || c === 0x2d || c === 0x2e || c === 0x2f || c === 0x09;
const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * `maskCardNumber` on the bytes `b[start, end)` of a trimmed ASCII value, in place: every digit,
 * `x` or `X` before the last 4 digits becomes `x`, separators stay. False (nothing changed) when
 * the value is not card-shaped, which `maskCardNumber` masks to another length.
 */
function maskCardBytes(b: Buffer, start: number, end: number): boolean {
  if (start === end) return false;
  let digitsOrMasks = 0;
  let previousWasSeparator = true;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (isDigitCode(c) || c === 0x78 || c === 0x58) {
      digitsOrMasks++;
      previousWasSeparator = false;
    } else if (isSeparator(c)) {
      if (previousWasSeparator) return false;
      previousWasSeparator = true;
    } else return false;
  }
  if (previousWasSeparator || digitsOrMasks < MIN_DIGITS || digitsOrMasks > MAX_DIGITS) return false;
  let fromEnd = 0;
  let i = end - 1;
  for (; i >= start && fromEnd < 4; i--) {
    const c = b[i]!;
    if (isSeparator(c)) continue;
    if (!isDigitCode(c)) return false;
    fromEnd++;
  }
  for (let k = start; k <= i; k++) if (!isSeparator(b[k]!)) b[k] = 0x78;
  return true;
}

/**
 * The masking service's purchase serde: reads exactly what `GmartSerdes.Purchase({ nullValues:
 * 'reject', purchaseDates })` reads (same purchases, same `DeserializationError`s), but a purchase
 * already in canonical JSON (what every G-Mart producer writes) is only scanned, not parsed
 * ({@link scanPurchase}): {@link maskReadPurchase} then masks its bytes. Anything else is read by
 * the purchase deserializer. Writes what it reads in the purchase serde's JSON.
 */
export function readPurchaseSerde(purchaseDates?: PurchaseDateWindow | null): Serde<ReadPurchase> {
  const window = purchaseDates === undefined ? DEFAULT_PURCHASE_DATE_WINDOW : purchaseDates;
  const purchases = GmartSerdes.Purchase({ nullValues: 'reject', purchaseDates: window });
  const deserializer = purchases.deserializer();
  const serializer = GmartSerdes.Purchase({ validateOnSerialize: false }).serializer();
  return {
    deserializer: () => ({
      deserialize(topic: string, data: Buffer | null): ReadPurchase | null {
        return (data && scanPurchase(data, window, Date.now())) ?? deserializer.deserialize(topic, data);
      },
    }),
    serializer: () => ({
      serialize(topic: string, value: ReadPurchase | null): Buffer | null {
        if (value instanceof ScannedPurchase) return Buffer.from(value.json);
        return serializer.serialize(topic, value);
      },
    }),
  };
}

const purchaseJson = GmartSerdes.Purchase({ validateOnSerialize: false }).serializer();

/** Options of {@link maskReadPurchase}. */
export interface MaskReadPurchaseOptions {
  /**
   * Mask a scanned purchase whose only change is its card-shaped card number in its own bytes (the
   * consumed record's, `ScannedPurchase.json`) and return them, instead of a masked copy: for a
   * caller that reads those bytes no more, such as the masking topology (no copy to allocate per
   * record). Default false.
   */
  readonly inPlace?: boolean;
}

/**
 * The masked purchase's JSON, byte for byte what `GmartSerdes.Purchase` writes for
 * `maskPurchase(purchase)`: a scanned purchase has its card number masked by `maskCardNumber` and
 * every other text value with 13 or more digits by `redact` (Luhn-valid runs), in a copy of its
 * bytes (in place with `inPlace` when only a card-shaped card number changes); a parsed one is
 * masked and written.
 */
export function maskReadPurchase(
  topic: string,
  purchase: ReadPurchase,
  options?: MaskReadPurchaseOptions,
): Buffer {
  if (!(purchase instanceof ScannedPurchase)) return purchaseJson.serialize(topic, maskPurchase(purchase))!;
  const { json, cardStart, cardEnd, digitRuns } = purchase;
  if (digitRuns === null) {
    // The common case: only the card number changes, in place when it is card-shaped
    // (maskCardBytes checks the whole value before it writes a byte).
    if (options?.inPlace === true) {
      if (maskCardBytes(json, cardStart, cardEnd)) return json;
    } else {
      const out = Buffer.allocUnsafe(json.length);
      json.copy(out);
      if (maskCardBytes(out, cardStart, cardEnd)) return out;
    }
  }
  const card = json.toString('latin1', cardStart, cardEnd);
  const maskedCard = maskCardNumber(card);
  let sameLength = maskedCard.length === card.length;
  let runs: Array<{ start: number; end: number; text: string }> | null = null;
  if (digitRuns !== null) {
    runs = [];
    for (let i = 0; i < digitRuns.length; i += 2) {
      const start = digitRuns[i]!;
      const end = digitRuns[i + 1]!;
      const text = json.toString('latin1', start, end);
      const masked = redact(text, LUHN_ONLY);
      if (masked === text) continue;
      if (masked.length !== text.length) sameLength = false;
      runs.push({ start, end, text: masked });
    }
  }
  if (sameLength) {
    const out = Buffer.allocUnsafe(json.length);
    json.copy(out);
    out.write(maskedCard, cardStart, 'latin1');
    if (runs) for (const r of runs) out.write(r.text, r.start, 'latin1');
    return out;
  }
  // A value masked to another length (e.g. a card field that is not card-shaped): pieces in order.
  const all = [{ start: cardStart, end: cardEnd, text: maskedCard }, ...(runs ?? [])].sort(
    (a, b) => a.start - b.start,
  );
  const pieces: Buffer[] = [];
  let at = 0;
  for (const r of all) {
    pieces.push(json.subarray(at, r.start), Buffer.from(r.text, 'latin1'));
    at = r.end;
  }
  pieces.push(json.subarray(at));
  return Buffer.concat(pieces);
}
