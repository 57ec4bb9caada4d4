/**
 * `@gmart/nest-streams`: run a `@gmart/streams` topology as a NestJS service with validated
 * environment configuration, `/metrics`, `/health/live`, `/health/ready`, JSON logs and graceful
 * shutdown.
 *
 * @packageDocumentation
 */
export { NestStreamsError } from './errors/nest-streams-error';
export { ConfigError, type ConfigProblem } from './errors/config-error';

export { Env } from './config/env';
export { SERVICE_HTTP_PORTS, FALLBACK_HTTP_PORT, defaultHttpPort } from './config/service-ports';
export {
  LOG_LEVELS,
  SASL_MECHANISMS,
  TOPIC_VARIABLE_PREFIX,
  streamsEnvShape,
  interactiveQueriesEnvShape,
  type LogLevel,
  type SaslMechanism,
  type StreamsEnv,
  type StreamsEnvShape,
} from './config/streams-env-schema';
export type { StreamsServiceConfig, KafkaConnectionConfig } from './config/service-config';
export {
  defineServiceConfig,
  type ConfigOf,
  type ServiceConfigDefinition,
  type ServiceConfigSpec,
  type VariableInfo,
} from './config/define-service-config';

export { StreamsClientRef } from './runtime/streams-client-ref';
export { InteractiveQueries, REMOTE_QUERY_TIMEOUT_MS } from './queries/interactive-queries';
export type { RoutedQuery } from './queries/routed-query';
export { StreamsStatus, type StreamsStateChange } from './runtime/streams-status';
export type { StreamsRuntimeFactory, StreamsRuntimeContext } from './runtime/streams-runtime-factory';
export type { StreamsTopologyProvider } from './topology/streams-topology-provider';
export { StreamsTransport, type StreamsTransportOptions } from './transport/streams-transport';

export { STREAMS_CONFIG, STREAMS_TOPOLOGY, METRICS_REGISTRY, SERVICE_LOGGER } from './module/tokens';
export { StreamsCoreModule, type StreamsCoreContext } from './module/streams-core.module';
export { HealthController, type HealthBody } from './health/health.controller';
export { ClientErrorFilter } from './http/client-error-filter';
export {
  instantQuery,
  localQueryFlag,
  rejectUnknownQuery,
  singleQueryValue,
  wholeNumberQuery,
  type RawQuery,
} from './http/query-parameters';
export { MetricsController } from './metrics/metrics.controller';
export { createServiceRegistry } from './metrics/service-registry';

export { createServiceLogger, REDACTED_PATHS, type ServiceLoggerOptions } from './logging/service-logger';
export { PinoNestLogger } from './logging/pino-nest-logger';
export { streamsLoggerFor, type StreamsLogger } from './logging/streams-logger-adapter';

export {
  bootstrapStreamsService,
  runStreamsService,
  type StreamsService,
  type StreamsServiceOptions,
} from './bootstrap/bootstrap-streams-service';
export { kafkaStreamsRuntime, toStreamsConfig } from './runtime/kafka-streams-runtime';
