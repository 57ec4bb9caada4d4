import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  GmartSerdes,
  maskCardNumber,
  maskPurchase,
  redact,
  type Purchase,
  type PurchaseDateWindow,
  type Serde,
} from '@gmart/gmart';
import { ScannedPurchase, scanPurchase } from './scanned-purchase';

/** A purchase as the masking topology reads it: scanned canonical JSON, or parsed. */
export type ReadPurchase = ScannedPurchase | Purchase;

const LUHN_ONLY = Object.freeze({ requireLuhn: true });

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

/**
 * The masked purchase's JSON, byte for byte what `GmartSerdes.Purchase` writes for
 * `maskPurchase(purchase)`: a scanned purchase has its card number masked by `maskCardNumber` and
 * every other text value with 13 or more digits by `redact` (Luhn-valid runs), in a copy of its
 * bytes; a parsed one is masked and written.
 */
export function maskReadPurchase(topic: string, purchase: ReadPurchase): Buffer {
  if (!(purchase instanceof ScannedPurchase)) return purchaseJson.serialize(topic, maskPurchase(purchase))!;
  const { json, cardStart, cardEnd, digitRuns } = purchase;
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
