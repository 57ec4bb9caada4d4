import * as net from 'node:net';
import { Decoder } from '../../../src/protocol/decoder';
import { Encoder } from '../../../src/protocol/encoder';

/**
 * A minimal Kafka client over one TCP connection, for exercising API versions
 * the real clients no longer send: writes request header v1 + a body, returns
 * a Decoder over the response body.
 */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly waiting = new Map<
    number,
    { resolve: (body: Buffer) => void; reject: (err: Error) => void }
  >();
  private correlationId = 0;
  private closedWith: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        const id = frame.readInt32BE(0);
        this.waiting.get(id)?.resolve(frame.subarray(4));
        this.waiting.delete(id);
      }
    });
    socket.on('close', () => {
      this.closedWith = new Error('connection closed by the broker');
      for (const w of this.waiting.values()) w.reject(this.closedWith);
      this.waiting.clear();
    });
  }

  static connect(bootstrap: string): Promise<RawClient> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), host!, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one request and resolves with a decoder over its response body. */
  request(
    apiKey: number,
    apiVersion: number,
    writeBody: (e: Encoder) => void,
    timeoutMs = 30_000,
  ): Promise<Decoder> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = ++this.correlationId;
    const body = new Encoder();
    body.writeInt16(apiKey).writeInt16(apiVersion).writeInt32(id).writeNullableString('raw-client');
    writeBody(body);
    const payload = body.toBuffer();
    const frame = Buffer.alloc(4 + payload.length);
    frame.writeInt32BE(payload.length, 0);
    payload.copy(frame, 4);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no response to api ${apiKey} v${apiVersion}`)),
        timeoutMs,
      );
      this.waiting.set(id, {
        resolve: (b) => {
          clearTimeout(timer);
          resolve(new Decoder(b));
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.socket.write(frame);
    });
  }

  /** Writes raw bytes (for malformed-request tests). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves when the broker closes the connection. */
  closed(): Promise<void> {
    if (this.closedWith) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }
}
