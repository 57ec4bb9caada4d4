import type { Socket } from 'node:net';
import { MalformedRequestError } from '../errors/kafka-broker-error';
import { API_VERSIONS_KEY, NO_RESPONSE, isFlexible } from '../protocol/api-definition';
import type { ApiDefinition, ApiVersionCodec } from '../protocol/api-definition';
import type { ApiRegistry } from '../protocol/api-registry';
import { Decoder } from '../protocol/decoder';
import { Encoder } from '../protocol/encoder';
import type { ConnectionInfo, RequestContext } from '../protocol/request-context';
import type { RequestHeader } from '../protocol/request-header';
import type { BrokerServices } from '../broker/broker-services';
import type { ServerMetrics } from './server-metrics';
import type { ConnectionAuth } from '../security/connection-auth';

/** APIs a connection may send before it authenticated on a SASL listener (as in Kafka). */
const BEFORE_AUTHENTICATION = new Set([
  18 /* ApiVersions */, 17 /* SaslHandshake */, 36 /* SaslAuthenticate */,
]);

/** A response slot: responses leave in the order requests arrived. */
interface Slot {
  readonly header: RequestHeader;
  readonly codec: ApiVersionCodec<unknown, unknown>;
  readonly api: ApiDefinition;
  /** Response header v1 (with tagged fields) instead of v0. */
  readonly flexibleHeader: boolean;
  done: boolean;
  response: unknown;
  /** Close the connection once this response is written, for this reason. */
  closeAfter?: string;
  /** Set by a waiting handler (Fetch) that may answer early when a later request queues behind it. */
  onQueuedBehind?: () => void;
}

/**
 * A frame up to this size that has not fully arrived gets its buffer at once and each later chunk
 * is copied in as it arrives; a larger one is assembled when complete (memory follows the bytes received).
 */
const MAX_GATHERED_FRAME_BYTES = 16 * 1024 * 1024;

/** Pause reading when this many responses are pending (back-pressure). */
const MAX_PENDING = 512;

/**
 * One client connection: splits the byte stream into size-prefixed frames,
 * dispatches each request to its API handler, and writes responses in request
 * order (a long-polling Fetch holds back later responses, as in Kafka).
 */
export class Connection implements ConnectionInfo {
  clientId: string | null = null;
  clientSoftware: { readonly name: string; readonly version: string } | null = null;
  readonly remoteAddress: string;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The frame being received when it is larger than what has arrived (size prefix included). */
  private partial: Buffer | undefined;
  private partialFilled = 0;
  private readonly queue: Slot[] = [];
  private closed = false;
  private paused = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly registry: ApiRegistry,
    private readonly services: BrokerServices,
    private readonly metrics: ServerMetrics,
    private readonly onClose: (c: Connection) => void,
    /** Authentication state (principal, SASL exchange). */
    readonly auth: ConnectionAuth,
  ) {
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) =>
      this.services.logger.warn(`connection ${this.id} (${this.remoteAddress}): ${err.message}`),
    );
    socket.on('close', () => {
      this.closed = true;
      this.queue.length = 0;
      this.onClose(this);
    });
    socket.on('drain', () => this.maybeResume());
  }

  /** Closes the connection, logging why. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.services.logger.warn(`closing connection ${this.id} (${this.remoteAddress}): ${reason}`);
    this.queue.length = 0;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.metrics.bytesIn.inc(chunk.length);
    let data = chunk;
    if (this.partial) {
      // A frame larger than what had arrived: copy each chunk in as it arrives (still in the CPU's cache).
      const n = Math.min(this.partial.length - this.partialFilled, data.length);
      data.copy(this.partial, this.partialFilled, 0, n);
      this.partialFilled += n;
      if (this.partialFilled < this.partial.length) return;
      const frame = this.partial;
      this.partial = undefined;
      this.onFrame(frame.subarray(4));
      if (n === data.length || this.closed) return;
      data = data.subarray(n);
    }
    this.pending.push(data);
    this.pendingBytes += data.length;
    while (!this.closed && this.pendingBytes >= 4) {
      const size = this.peekSize();
      if (size < 0 || size > this.services.config.maxRequestBytes) {
        this.close(`invalid frame size ${size} (must be 0..${this.services.config.maxRequestBytes})`);
        return;
      }
      if (this.pendingBytes < 4 + size) {
        if (size > MAX_GATHERED_FRAME_BYTES) return; // assembled once complete (see take)
        // Incomplete: gather it in a buffer of its own from now on (each byte is copied once).
        const partial = Buffer.allocUnsafe(4 + size);
        let at = 0;
        for (const c of this.pending) {
          c.copy(partial, at);
          at += c.length;
        }
        this.pending = [];
        this.pendingBytes = 0;
        this.partial = partial;
        this.partialFilled = at;
        return;
      }
      const frame = this.take(4 + size).subarray(4);
      this.onFrame(frame);
    }
  }

  private peekSize(): number {
    const first = this.pending[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.pending, Math.min(this.pendingBytes, 4));
    return head.readInt32BE(0);
  }

  private take(n: number): Buffer {
    const first = this.pending[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const c = this.pending[0]!;
        const need = n - got;
        if (c.length <= need) {
          c.copy(out, got);
          got += c.length;
          this.pending.shift();
        } else {
          c.copy(out, got, 0, need);
          this.pending[0] = c.subarray(need);
          got += need;
        }
      }
    }
    this.pendingBytes -= n;
    return out;
  }

  private onFrame(frame: Buffer): void {
    const d = new Decoder(frame);
    let header: RequestHeader;
    try {
      header = {
        apiKey: d.readInt16(),
        apiVersion: d.readInt16(),
        correlationId: d.readInt32(),
        clientId: d.readNullableString(),
      };
    } catch (err) {
      this.close(`malformed request header: ${(err as Error).message}`);
      return;
    }
    this.clientId = header.clientId;
    this.wakeWaitingHandlers();
    const api = this.registry.get(header.apiKey);
    if (!api) {
      this.close(`unsupported API key ${header.apiKey} (UNSUPPORTED_VERSION)`);
      return;
    }
    if (!this.auth.authenticated && !BEFORE_AUTHENTICATION.has(header.apiKey)) {
      this.close(`${api.name} request before SASL authentication (ILLEGAL_SASL_STATE)`);
      return;
    }
    this.metrics.requests(api.name).inc();
    const current: { slot?: Slot } = {};
    const context: RequestContext = {
      header,
      apiVersion: header.apiVersion,
      connection: this,
      services: this.services,
      onQueuedBehind: (wake) => {
        if (current.slot) current.slot.onQueuedBehind = wake;
      },
      closeAfterResponse: (reason) => {
        if (current.slot) current.slot.closeAfter = reason;
      },
    };
    const codec = api.versions[header.apiVersion];
    if (!codec || header.apiVersion < 0) {
      if (api.unsupportedVersion) {
        const slot: Slot = {
          header,
          api,
          codec: api.versions[api.unsupportedVersion.respondWithVersion]!,
          flexibleHeader: false,
          done: true,
          response: api.unsupportedVersion.response(context),
        };
        this.queue.push(slot);
        this.flush();
        return;
      }
      this.close(
        `unsupported version ${header.apiVersion} of ${api.name} (UNSUPPORTED_VERSION, served 0-${api.versions.length - 1})`,
      );
      return;
    }
    const flexible = isFlexible(api, header.apiVersion);
    let request: unknown;
    try {
      if (flexible) d.readTaggedFields(); // request header v2: no header tags are used
      request = codec.decode(d);
    } catch (err) {
      const why = err instanceof MalformedRequestError ? err.message : String(err);
      this.close(`malformed ${api.name} v${header.apiVersion} request: ${why}`);
      return;
    }
    const slot: Slot = {
      header,
      api,
      codec,
      flexibleHeader: flexible && api.apiKey !== API_VERSIONS_KEY,
      done: false,
      response: undefined,
    };
    current.slot = slot;
    let result: unknown;
    try {
      result = api.handle(request, context);
    } catch (err) {
      this.handlerFailed(api, err);
      return;
    }
    if (result instanceof Promise) {
      this.queue.push(slot);
      result.then(
        (r) => {
          slot.done = true;
          slot.response = r;
          this.flush();
        },
        (err) => this.handlerFailed(api, err),
      );
      if (this.queue.length >= MAX_PENDING && !this.paused) {
        this.paused = true;
        this.socket.pause();
      }
    } else {
      slot.done = true;
      slot.response = result;
      this.queue.push(slot);
      this.flush();
    }
  }

  /**
   * A new request arrived: handlers still waiting (long-polling Fetches) answer
   * now with what they have, so the new request's response is not held back by
   * a wait (clients simply fetch again).
   */
  private wakeWaitingHandlers(): void {
    for (const slot of this.queue) {
      if (!slot.done && slot.onQueuedBehind) {
        const wake = slot.onQueuedBehind;
        slot.onQueuedBehind = undefined;
        wake();
      }
    }
  }

  private handlerFailed(api: ApiDefinition, err: unknown): void {
    const e = err as Error;
    this.services.logger.error(`${api.name} handler failed: ${e?.stack ?? String(err)}`);
    this.close(`${api.name} handler failed: ${e?.message ?? String(err)}`);
  }

  private flush(): void {
    if (this.closed) return;
    let corked = false;
    while (this.queue.length > 0 && this.queue[0]!.done) {
      const slot = this.queue.shift()!;
      if (slot.response === NO_RESPONSE) continue;
      const e = new Encoder(256);
      e.writeInt32(0).writeInt32(slot.header.correlationId);
      if (slot.flexibleHeader) e.writeTaggedFields();
      try {
        slot.codec.encode(e, slot.response);
      } catch (err) {
        this.handlerFailed(slot.api, err);
        return;
      }
      const parts = e.toBuffers();
      parts[0]!.writeInt32BE(e.length - 4, 0);
      if (!corked && (parts.length > 1 || this.queue.length > 0)) {
        this.socket.cork();
        corked = true;
      }
      for (const p of parts) this.socket.write(p);
      this.metrics.bytesOut.inc(e.length);
      if (slot.closeAfter !== undefined) {
        if (corked) this.socket.uncork();
        this.endAfterWrite(slot.closeAfter);
        return;
      }
    }
    if (corked) this.socket.uncork();
    this.maybeResume();
  }

  /** Ends the connection after the bytes written so far are flushed. */
  private endAfterWrite(reason: string): void {
    this.closed = true;
    this.queue.length = 0;
    this.services.logger.warn(`closing connection ${this.id} (${this.remoteAddress}): ${reason}`);
    this.socket.end();
    // A client that never reads must not keep the socket open.
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  private maybeResume(): void {
    if (this.paused && this.queue.length < MAX_PENDING / 2 && this.socket.writableLength < 64 * 1024 * 1024) {
      this.paused = false;
      this.socket.resume();
    }
  }
}
