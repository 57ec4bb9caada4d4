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
    return this.copy.compare(bytes, 0, n, 0, n) === 0 ? this.text : undefined;
  }

  /** Remembers `text` as the decoding of `bytes` (copied). */
  set(bytes: Buffer, text: string): void {
    const n = bytes.length;
    if (n > this.copy.length) this.copy = Buffer.allocUnsafe(Math.max(n, 2 * this.copy.length, 64));
    bytes.copy(this.copy, 0, 0, n);
    this.length = n;
    this.text = text;
  }

  /** Forgets the remembered key. */
  clear(): void {
    this.text = undefined;
    this.length = 0;
  }
}
