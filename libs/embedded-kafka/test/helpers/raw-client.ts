import * as net from 'node:net';
import { Decoder } from '../../src/protocol/decoder';
import { Encoder } from '../../src/protocol/encoder';

/**
 * A bare Kafka-protocol client over one TCP socket, for tests that must send
 * exactly chosen bytes (duplicates, corrupt batches, pipelined requests).
 */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly waiting = new Map<number, (body: Decoder) => void>();
  private nextCorrelation = 1;
  readonly closed: Promise<void>;
  /** Correlation ids in the order responses arrived. */
  readonly arrivals: number[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
  }

  static connect(bootstrap: string): Promise<RawClient> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const s = net.connect(Number(port), host!, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const d = new Decoder(frame);
      const correlationId = d.readInt32();
      this.arrivals.push(correlationId);
      const cb = this.waiting.get(correlationId);
      this.waiting.delete(correlationId);
      cb?.(d);
    }
  }

  /**
   * Sends a request and resolves with a decoder positioned at the response body.
   * Non-flexible: request header v1, response header v0. `flexible`: request
   * header v2 (tagged fields after the client id) and, except for ApiVersions,
   * response header v1 (its tagged fields are read here). `write` sends the
   * whole frame (default: one socket write), e.g. in pieces.
   */
  request(
    apiKey: number,
    apiVersion: number,
    body: (e: Encoder) => void,
    options: { flexible?: boolean; write?: (frame: Buffer) => void } = {},
  ): Promise<Decoder> {
    const correlationId = this.nextCorrelation++;
    const e = new Encoder();
    e.writeInt32(0)
      .writeInt16(apiKey)
      .writeInt16(apiVersion)
      .writeInt32(correlationId)
      .writeNullableString('raw-test');
    if (options.flexible) e.writeUnsignedVarInt(0);
    body(e);
    const frame = e.toBuffer();
    frame.writeInt32BE(frame.length - 4, 0);
    const p = new Promise<Decoder>((resolve, reject) => {
      this.waiting.set(correlationId, (d) => {
        if (options.flexible && apiKey !== 18) d.readTaggedFields();
        resolve(d);
      });
      this.closed.then(() => reject(new Error(`connection closed before response ${correlationId}`)));
    });
    if (options.write) options.write(frame);
    else this.socket.write(frame);
    return p;
  }

  /** Sends raw bytes as they are. */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}
