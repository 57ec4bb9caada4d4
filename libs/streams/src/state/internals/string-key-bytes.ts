/** How many recent keys {@link stringKeyBytes} remembers (a power of two). */
const SLOTS = 4;

const texts: Array<string | undefined> = new Array<string | undefined>(SLOTS).fill(undefined);
const encoded: Array<Buffer | undefined> = new Array<Buffer | undefined>(SLOTS).fill(undefined);
let next = 0;

/**
 * The UTF-8 bytes of a string key, as the built-in String serde writes them (a topic-independent
 * encoding), shared by every store of the process: the last {@link SLOTS} keys encoded are
 * remembered, so a record's key read and written by several stores (a symbol's performance and
 * share-volume stores, a customer's session, tumbling and hopping counts) is encoded once, not once
 * per store. The bytes are shared: the store layers only read key bytes (they copy what they keep
 * in another form, or keep the Buffer itself, never changing it).
 */
export function stringKeyBytes(key: string): Buffer {
  for (let i = 0; i < SLOTS; i++) if (texts[i] === key) return encoded[i] as Buffer;
  const bytes = Buffer.from(key, 'utf8');
  texts[next] = key;
  encoded[next] = bytes;
  next = (next + 1) & (SLOTS - 1);
  return bytes;
}

/**
 * The key whose bytes {@link stringKeyBytes} handed out as this very Buffer, while it still
 * remembers them (the bytes are that key's UTF-8 encoding); `undefined` otherwise.
 */
export function stringKeyOf(bytes: Buffer): string | undefined {
  for (let i = 0; i < SLOTS; i++) if (encoded[i] === bytes) return texts[i];
  return undefined;
}
