import { ScannedPurchase, type ReadPurchase } from '@gmart/gmart';
import { sharedLatin1 } from './shared-text';

/**
 * coupon-join reads `purchases` (and writes `coffee` and `electronics`) with `@gmart/gmart`'s
 * `scanningPurchaseSerde`: a purchase in canonical JSON is scanned, not parsed, and passed on as its
 * bytes. These helpers read the two fields the join needs from either form without parsing.
 */
export type { ReadPurchase } from '@gmart/gmart';

const QUOTE = 0x22;
/** What follows `itemPurchased`'s value in canonical JSON, up to `department`'s value. */
const TO_DEPARTMENT = Buffer.byteLength('","department":"', 'latin1');

/**
 * Where `department`'s value starts in a scanned purchase: canonical JSON has it right after the
 * item (whose range the scan recorded), and its text holds no quote (printable ASCII without
 * escapes), so its end is the next quote.
 */
function departmentStart(p: ScannedPurchase): number {
  return p.itemEnd + TO_DEPARTMENT;
}

/** The purchase's `itemPurchased` (a scanned one's: printable ASCII, so latin1 reads it; shared, see sharedLatin1). */
export function itemOf(p: ReadPurchase): string {
  if (!(p instanceof ScannedPurchase)) return p.itemPurchased;
  return sharedLatin1(p.json, p.itemStart, p.itemEnd);
}

/** The purchase's `department`. */
export function departmentOf(p: ReadPurchase): string {
  if (!(p instanceof ScannedPurchase)) return p.department;
  const start = departmentStart(p);
  return p.json.toString('latin1', start, p.json.indexOf(QUOTE, start));
}

/**
 * `departmentOf(p).toLowerCase() === lowerCaseName`, for an all-lower-case ASCII name: a scanned
 * purchase's department (printable ASCII) is compared in its bytes, without a string.
 */
export function inDepartment(p: ReadPurchase, lowerCaseName: string): boolean {
  if (!(p instanceof ScannedPurchase)) return p.department.toLowerCase() === lowerCaseName;
  const json = p.json;
  const start = departmentStart(p);
  const n = lowerCaseName.length;
  if (json[start + n] !== QUOTE) return false;
  for (let i = 0; i < n; i++) {
    let c = json[start + i]!;
    // ASCII upper case to lower case, as toLowerCase does for ASCII.
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lowerCaseName.charCodeAt(i)) return false;
  }
  return true;
}
