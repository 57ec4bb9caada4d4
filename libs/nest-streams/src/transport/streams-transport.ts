import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { NestStreamsError } from '../errors/nest-streams-error';
import { KafkaStreamsState, type StreamsClient } from '@gmart/streams';
import type { StreamsStatus } from '../runtime/streams-status';

/** Options of {@link StreamsTransport}. */
export interface StreamsTransportOptions {
  /** Creates the streams client (called once, in `listen`). */
  readonly createRuntime: () => StreamsClient | Promise<StreamsClient>;
  /** Receives every state change. */
  readonly status: StreamsStatus;
  /** Longest time `close()` gives the streams client. */
  readonly shutdownTimeoutMs: number;
  readonly logger: Logger;
}

/** Events of {@link StreamsTransport}: `state` on every streams state change. */
type StreamsTransportEvents = { state: (state: string, previous: string) => void };

/**
 * Runs a `@gmart/streams` `KafkaStreams` client as a NestJS microservice transport:
 * `app.connectMicroservice({ strategy: transport })` then `app.startAllMicroservices()` starts
 * it, and `app.close()` (or a shutdown signal, with `enableShutdownHooks`) closes it, committing
 * what was processed, within `shutdownTimeoutMs`.
 *
 * Records are processed by the topology, not by `@MessagePattern` handlers, so this transport
 * registers no handlers; the service supplies its topology through `STREAMS_TOPOLOGY`.
 */
export class StreamsTransport
  extends Server<StreamsTransportEvents, string>
  implements CustomTransportStrategy
{
  private runtime: StreamsClient | undefined;
  private closing: Promise<void> | undefined;
  private readonly stateListeners: Array<(state: string, previous: string) => void> = [];

  constructor(private readonly options: StreamsTransportOptions) {
    super();
  }

  /** Creates and starts the streams client; calls back with an error if it cannot start. */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    this.start().then(
      () => callback(),
      (err: unknown) => callback(err),
    );
  }

  private async start(): Promise<void> {
    if (this.runtime) throw new NestStreamsError('StreamsTransport is already listening');
    const runtime = await this.options.createRuntime();
    this.runtime = runtime;
    runtime.setStateListener((state, before) => {
      this.options.status.update(state);
      this._status$.next(state);
      this.options.logger.info({ state, previous: before }, 'streams state changed');
      for (const l of this.stateListeners) l(state, before);
    });
    this.options.status.update(runtime.state());
    this.options.logger.info('starting streams');
    try {
      await runtime.start();
    } catch (err) {
      this.options.status.update(runtime.state());
      const reason = err instanceof Error ? err.message : String(err);
      throw new NestStreamsError(`streams failed to start: ${reason}`, { cause: err });
    }
  }

  /** Closes the streams client within `shutdownTimeoutMs` (idempotent). */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    const started = Date.now();
    this.options.logger.info({ timeoutMs: this.options.shutdownTimeoutMs }, 'closing streams');
    await runtime.close({ timeoutMs: this.options.shutdownTimeoutMs });
    const state = runtime.state();
    this.options.status.update(state);
    const fields = { state, durationMs: Date.now() - started };
    if (state === KafkaStreamsState.NOT_RUNNING) this.options.logger.info(fields, 'streams closed');
    else this.options.logger.warn(fields, 'streams did not close cleanly');
  }

  /** Registers a listener: `on('state', (state, previous) => ...)`. */
  on<K extends keyof StreamsTransportEvents>(event: K, callback: StreamsTransportEvents[K]): void {
    if (event !== 'state') throw new NestStreamsError(`StreamsTransport has no event "${String(event)}"`);
    this.stateListeners.push(callback);
  }

  /** The streams client (the `KafkaStreams` instance), once listening. */
  unwrap<T = StreamsClient>(): T {
    if (!this.runtime)
      throw new NestStreamsError('StreamsTransport is not listening yet: no streams client to unwrap');
    return this.runtime as T;
  }
}
