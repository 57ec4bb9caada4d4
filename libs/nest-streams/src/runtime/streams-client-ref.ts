import type { StreamsClient } from '@gmart/streams';
import { NestStreamsError } from '../errors/nest-streams-error';

/**
 * The service's streams client, for injection: `constructor(private readonly streams:
 * StreamsClientRef)`. Provided by `StreamsCoreModule` to the whole application (the class is the
 * token). A reference rather than the client itself because Nest builds its providers before the
 * HTTP server listens, and the client is created after that: its `applicationServer` is the port
 * the server got (`HTTP_PORT=0` binds any free one). Read it when handling a request, not in a
 * constructor.
 */
export class StreamsClientRef {
  private client: StreamsClient | undefined;
  private server: string | undefined;

  /** The running client, or `undefined` before the transport created it. */
  get current(): StreamsClient | undefined {
    return this.client;
  }

  /** The running client; throws a `NestStreamsError` before the transport created it. */
  get(): StreamsClient {
    if (!this.client) throw new NestStreamsError('the streams client is not created yet (service starting)');
    return this.client;
  }

  /**
   * `host:port` the client advertises to the other instances (`applicationServer`), or
   * `undefined` when the service's configuration does not enable interactive queries.
   */
  get applicationServer(): string | undefined {
    return this.server;
  }

  /** @internal Set by `bootstrapStreamsService` when it creates the client. */
  set(client: StreamsClient, applicationServer: string | undefined): void {
    if (this.client) throw new NestStreamsError('the streams client is already set');
    this.client = client;
    this.server = applicationServer;
  }
}
