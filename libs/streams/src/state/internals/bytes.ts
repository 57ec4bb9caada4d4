/**
 * Byte-key helpers. Stores order keys by unsigned lexicographic byte order (Kafka Streams' `Bytes`).
 * In memory a key is held as a latin1 ("binary") string: one char per byte, so JavaScript's string
 * comparison gives exactly the unsigned byte order and strings hash and compare faster than Buffers.
 */

/** The latin1 string form of a key. */
export function keyString(key: Buffer): string {
  return key.toString('latin1');
}

/** The Buffer form of a latin1 key string. */
export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

/** Compares two latin1 key strings in byte order. */
export function compareKeyStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The smallest key greater than every key that starts with `prefix`, or `undefined`
 * if there is none (the prefix is all 0xff bytes).
 */
export function prefixUpperBound(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const upper = Buffer.from(prefix.subarray(0, end));
  upper[end - 1]++;
  return upper;
}

/** A copy of `buffer` that owns its memory (never a view into a larger fetch buffer). */
export function copyBytes(buffer: Buffer): Buffer {
  return Buffer.from(buffer);
}
