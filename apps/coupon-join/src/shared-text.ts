/** Slots of the table of texts read last (a power of two). */
const SLOTS = 1024;
/** Longer texts are read afresh every time. */
const MAX_SHARED_LENGTH = 64;
/** The text read last into each slot (by a hash of its bytes); a later text of the slot replaces it. */
const texts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

/**
 * `bytes.toString('latin1', from, to)`, but a text equal to one read a moment ago is that same
 * string: the customer ids and items a join keeps (its window stores hold every record for the
 * window and grace, the bench's grace a week) are a few strings shared by many records, not one
 * copy each, which the young-generation GC copied and promoted. A fixed table of the last text per
 * slot (at most {@link SLOTS} texts of at most {@link MAX_SHARED_LENGTH} characters are held).
 */
export function sharedLatin1(bytes: Buffer, from: number, to: number): string {
  const n = to - from;
  if (n > MAX_SHARED_LENGTH) return bytes.toString('latin1', from, to);
  let h = n;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + bytes[i]!) | 0;
  const slot = (h ^ (h >>> 11)) & (SLOTS - 1);
  const held = texts[slot];
  if (held !== undefined && held.length === n) {
    let k = 0;
    while (k < n && held.charCodeAt(k) === bytes[from + k]) k++;
    if (k === n) return held;
  }
  const text = bytes.toString('latin1', from, to);
  texts[slot] = text;
  return text;
}
