import type { Redactor } from '@gmart/streams';
import type { Registry } from 'prom-client';
import type { StreamsServiceConfig } from '../config/service-config';
import type { StreamsLogger } from '../logging/streams-logger-adapter';
import type { StreamsRuntime } from './streams-runtime';

/** What a {@link StreamsRuntimeFactory} gets to build the streams client. */
export interface StreamsRuntimeContext<TTopology = unknown> {
  /** The topology from the service's `STREAMS_TOPOLOGY` provider. */
  readonly topology: TTopology;
  readonly config: StreamsServiceConfig<string, unknown>;
  /** The service registry: the streams client's metrics go here, served on `/metrics`. */
  readonly registry: Registry;
  /** The service logger, in `@gmart/streams`' logger shape. */
  readonly logger: StreamsLogger;
  /** The service's redactor (`StreamsServiceOptions.redactor`), for the streams client. */
  readonly redactor?: Redactor;
}

/** Builds the streams client of a service from its topology and configuration. */
export type StreamsRuntimeFactory<TTopology = unknown> = (
  context: StreamsRuntimeContext<TTopology>,
) => StreamsRuntime | Promise<StreamsRuntime>;
