import { MalformedMessageError } from '../../errors/embedded-mongo-error';
import { HEADER_SIZE } from './op-codes';

/**
 * Splits a TCP byte stream into whole wire messages using the int32 length at the start of each
 * header. Throws {@link MalformedMessageError} for a length below the header size or above
 * `maxMessageBytes`.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds received bytes and returns every message now complete. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.merge();
      const length = head.readInt32LE(0);
      if (length < HEADER_SIZE || length > this.maxMessageBytes) {
        throw new MalformedMessageError(
          `message length ${length} is outside [${HEADER_SIZE}, ${this.maxMessageBytes}]`,
        );
      }
      if (this.buffered < length) break;
      const all = this.merge();
      frames.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return frames;
  }

  private merge(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }
}
