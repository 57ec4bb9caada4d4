/**
 * Keys up to this many bytes are compared and copied byte by byte: for a key of a few dozen bytes
 * that costs less than `Buffer.compare` / `copy` with offsets (argument checks and a native call).
 */
const SHORT_BYTES = 64;

/**
 * The last key a store layer decoded with the built-in String serde, and an owned copy of its bytes:
 * a flush (or a range read) decodes a run of entries of one key, such as the windows of one key a
 * hopping window flush writes in a row, and each entry's bytes equal to the copy give the same
 * string again instead of a new one per entry. The String serde's decoding depends only on the
 * bytes (not on the topic) and strings are immutable, so the key handed out is the one decoding
 * these bytes would give. The bytes are copied (into a buffer this object owns and reuses), never
 * kept: a caller's bytes may be a view of memory that later changes.
 */
export class LastDecodedKey {
  private text: string | undefined;
  private copy: Buffer = Buffer.alloc(0);
  private length = 0;

  /** The string last remembered for bytes equal to `bytes`, or `undefined`. */
  get(bytes: Buffer): string | undefined {
    const n = bytes.length;
    if (this.text === undefined || n !== this.length) return undefined;
    const copy = this.copy;
    if (n > SHORT_BYTES) return copy.compare(bytes, 0, n, 0, n) === 0 ? this.text : undefined;
    for (let i = 0; i < n; i++) if (copy[i] !== bytes[i]) return undefined;
    return this.text;
  }

  /** Remembers `text` as the decoding of `bytes` (copied). */
  set(bytes: Buffer, text: string): void {
    const n = bytes.length;
    if (n > this.copy.length) this.copy = Buffer.allocUnsafe(Math.max(n, 2 * this.copy.length, 64));
    const copy = this.copy;
    if (n > SHORT_BYTES) bytes.copy(copy, 0, 0, n);
    else for (let i = 0; i < n; i++) copy[i] = bytes[i]!;
    this.length = n;
    this.text = text;
  }

  /** Forgets the remembered key. */
  clear(): void {
    this.text = undefined;
    this.length = 0;
  }
}
