import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { StreamsServiceConfig } from '../config/service-config';
import { HealthController } from '../health/health.controller';
import { METRICS_REGISTRY, SERVICE_LOGGER, STREAMS_CONFIG } from './tokens';
import { MetricsController } from '../metrics/metrics.controller';
import { StreamsStatus } from '../runtime/streams-status';
import { StreamsClientRef } from '../runtime/streams-client-ref';
import { InteractiveQueries } from '../queries/interactive-queries';

/** What {@link StreamsCoreModule.forRoot} provides to the whole application. */
export interface StreamsCoreContext {
  readonly config: StreamsServiceConfig<string, unknown>;
  readonly registry: Registry;
  readonly status: StreamsStatus;
  readonly logger: Logger;
  readonly client: StreamsClientRef;
}

/**
 * Global module of a streams service: `GET /metrics`, `GET /health/live`, `GET /health/ready`,
 * and the providers `STREAMS_CONFIG`, `METRICS_REGISTRY`, `SERVICE_LOGGER`, {@link StreamsStatus},
 * {@link StreamsClientRef} (the running streams client) and {@link InteractiveQueries}. `bootstrapStreamsService` imports it next to the service's module.
 */
@Module({})
export class StreamsCoreModule {
  static forRoot(context: StreamsCoreContext): DynamicModule {
    const providers: Provider[] = [
      { provide: STREAMS_CONFIG, useValue: context.config },
      { provide: METRICS_REGISTRY, useValue: context.registry },
      { provide: SERVICE_LOGGER, useValue: context.logger },
      { provide: StreamsStatus, useValue: context.status },
      { provide: StreamsClientRef, useValue: context.client },
      InteractiveQueries,
    ];
    return {
      module: StreamsCoreModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
