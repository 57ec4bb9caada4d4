import type { Redactor, StreamsClient, Topology } from '@gmart/streams';
import type { Registry } from 'prom-client';
import type { StreamsServiceConfig } from '../config/service-config';
import type { StreamsLogger } from '../logging/streams-logger-adapter';

/** What a {@link StreamsRuntimeFactory} gets to build the streams client. */
export interface StreamsRuntimeContext<TConfig extends StreamsServiceConfig = StreamsServiceConfig> {
  /** The topology from the service's `STREAMS_TOPOLOGY` provider. */
  readonly topology: Topology;
  readonly config: TConfig;
  /** The service registry: the streams client's metrics go here, served on `/metrics`. */
  readonly registry: Registry;
  /** The service logger, in `@gmart/streams`' logger shape. */
  readonly logger: StreamsLogger;
  /** The service's redactor (`StreamsServiceOptions.redactor`), for the streams client. */
  readonly redactor?: Redactor;
  /**
   * `host:port` of this instance's HTTP endpoint as the other instances reach it (the streams
   * client's `applicationServer`), when the service's configuration enables interactive queries.
   */
  readonly applicationServer?: string;
}

/** Builds the streams client of a service from its topology and configuration. */
export type StreamsRuntimeFactory<TConfig extends StreamsServiceConfig = StreamsServiceConfig> = (
  context: StreamsRuntimeContext<TConfig>,
) => StreamsClient | Promise<StreamsClient>;
