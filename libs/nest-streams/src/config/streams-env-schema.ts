import { kafkaConnectionEnvShape } from '@gmart/kafka-connection';
import { z } from 'zod';
import { Env } from './env';
import { defaultHttpPort } from './service-ports';

/** Log levels accepted by `LOG_LEVEL` (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

export { SASL_MECHANISMS, type SaslMechanism } from '@gmart/kafka-connection';

/** Values of `KAFKA_CLIENT`: `@gmart/streams`' `kafkaClient`. */
export const KAFKA_CLIENT_NAMES = ['kafkajs', 'platformatic'] as const;
/** Values of `KAFKA_REBALANCE_PROTOCOL`: `@gmart/streams`' `rebalanceProtocol`. */
export const REBALANCE_PROTOCOLS = ['eager', 'cooperative'] as const;

/** Values of `METRICS_RECORDING_LEVEL` (case-insensitive): `@gmart/streams`' `metricsRecordingLevel`. */
export const RECORDING_LEVELS = ['info', 'debug', 'trace'] as const;

/** Values of `PROCESSING_GUARANTEE`: `@gmart/streams`' `processingGuarantee` (Kafka's `processing.guarantee`). */
export const PROCESSING_GUARANTEES = ['at_least_once', 'exactly_once_v2'] as const;

/** Prefix of per-service topic variables (`TOPIC_TRANSACTIONS`). */
export const TOPIC_VARIABLE_PREFIX = 'TOPIC_';

/**
 * The environment variables every streams service reads, as a zod shape keyed by variable name.
 * `service` fixes the defaults of `APPLICATION_ID` (`gmart-<service>`) and `HTTP_PORT`.
 */
export function streamsEnvShape(
  service: string,
  options: { httpPort?: number; processingGuarantee?: (typeof PROCESSING_GUARANTEES)[number] } = {},
) {
  const { KAFKA_BROKERS, ...connection } = kafkaConnectionEnvShape();
  return {
    KAFKA_BROKERS,
    APPLICATION_ID: Env.string(
      'Streams application id: consumer group and internal topic prefix',
      `gmart-${service}`,
    ),
    HTTP_PORT: Env.int('Port of /metrics and /health', {
      min: 0,
      max: 65535,
      fallback: options.httpPort ?? defaultHttpPort(service),
    }),
    HTTP_HOST: Env.string('Interface the HTTP server binds (0.0.0.0 = all IPv4, :: = all)', '0.0.0.0'),
    LOG_LEVEL: Env.oneOf('Log level', LOG_LEVELS, 'info'),
    SHUTDOWN_TIMEOUT_MS: Env.int('Longest graceful shutdown before the process exits anyway', {
      min: 0,
      max: 600_000,
      fallback: 10_000,
    }),
    STATE_DIR: Env.string('Directory of local state stores', '/tmp/gmart-state'),
    COMMIT_INTERVAL_MS: Env.optionalInt('Offset commit interval (library default when unset)', {
      min: 1,
      max: 3_600_000,
    }),
    PROCESSING_GUARANTEE: Env.oneOf(
      'at_least_once, or exactly_once_v2 (outputs, state changes and consumed offsets commit in one Kafka transaction)',
      PROCESSING_GUARANTEES,
      options.processingGuarantee ?? 'at_least_once',
    ),
    METRICS_RECORDING_LEVEL: Env.oneOf(
      'Metrics recorded (Kafka Streams metrics.recording.level): DEBUG adds state store latencies',
      RECORDING_LEVELS,
      'info',
    ),
    KAFKA_CLIENT_ID: Env.optionalString('Kafka client id (default: <APPLICATION_ID>-<random>, per instance)'),
    KAFKA_CLIENT: Env.oneOf(
      'Kafka client: kafkajs or platformatic (@platformatic/kafka)',
      KAFKA_CLIENT_NAMES,
      'kafkajs',
    ),
    KAFKA_GROUP_INSTANCE_ID: Env.optionalString(
      'Static group membership (group.instance.id; the Helm StatefulSets set the pod name): needs KAFKA_CLIENT=platformatic',
    ),
    KAFKA_REBALANCE_PROTOCOL: Env.oneOf(
      'eager, or cooperative (KIP-429; needs KAFKA_CLIENT=platformatic)',
      REBALANCE_PROTOCOLS,
      'eager',
    ),
    ...connection,
    DLQ_TOPIC: Env.optionalTopic('Dead-letter topic (default: <APPLICATION_ID>-dlq)'),
  };
}

/**
 * The variable of a service that answers interactive queries (`interactiveQueries: true` in
 * `defineServiceConfig`): `APPLICATION_SERVER`, Kafka Streams' `application.server`.
 */
export function interactiveQueriesEnvShape() {
  return {
    APPLICATION_SERVER: Env.optionalString(
      "host:port of this instance's HTTP endpoint as the other instances reach it (default <HTTP host>:<listening port>)",
    ).refine((v) => v === undefined || /^[^:\s/]+:\d{1,5}$/.test(v), 'must be host:port'),
  };
}

/** The base variables' shape type. */
export type StreamsEnvShape = ReturnType<typeof streamsEnvShape>;

/** Parsed base variables. */
export type StreamsEnv = z.output<z.ZodObject<StreamsEnvShape>>;
