import type { MetricsRecordingLevel } from '@gmart/streams';
import type { SaslSettings, TlsSettings } from '@gmart/kafka-connection';
import type { LogLevel } from './streams-env-schema';

/** How to reach Kafka, ready to hand to kafkajs / `@gmart/streams`. */
export interface KafkaConnectionConfig {
  readonly brokers: readonly string[];
  /** `KAFKA_CLIENT_ID`; unset lets the streams library derive one per instance from the application id. */
  readonly clientId: string | undefined;
  /** `KAFKA_CLIENT`: the `@gmart/streams` client (`kafkajs` or `platformatic`). */
  readonly client: 'kafkajs' | 'platformatic';
  /** `KAFKA_GROUP_INSTANCE_ID`: static membership (KIP-345), platformatic client only. */
  readonly groupInstanceId: string | undefined;
  /** `KAFKA_REBALANCE_PROTOCOL`: `eager` or `cooperative` (platformatic client only). */
  readonly rebalanceProtocol: 'eager' | 'cooperative';
  /**
   * `false`, or TLS options: the PEM contents of `KAFKA_SSL_CA_FILE`, `KAFKA_SSL_CERT_FILE`,
   * `KAFKA_SSL_KEY_FILE` and `KAFKA_SSL_SERVERNAME` (parsed by `@gmart/kafka-connection`).
   */
  readonly ssl: false | TlsSettings;
  /** `KAFKA_SASL_*`; absent: no SASL. */
  readonly sasl?: SaslSettings;
}

/**
 * A streams service's configuration, loaded from the environment and validated.
 *
 * @typeParam TTopic  names of the service's topics (`TRANSACTIONS` for `TOPIC_TRANSACTIONS`)
 * @typeParam TExtra  the service's own variables, parsed
 */
export interface StreamsServiceConfig<TTopic extends string = string, TExtra = Record<string, unknown>> {
  /** Service name (`masking`). */
  readonly service: string;
  /** `APPLICATION_ID`. */
  readonly applicationId: string;
  /** `HTTP_PORT`. */
  readonly httpPort: number;
  /** `HTTP_HOST`: interface the HTTP server binds (default `0.0.0.0`). */
  readonly httpHost: string;
  /** `LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** `SHUTDOWN_TIMEOUT_MS`. */
  readonly shutdownTimeoutMs: number;
  /** `STATE_DIR`. */
  readonly stateDir: string;
  /** `COMMIT_INTERVAL_MS`, `undefined` for the library default. */
  readonly commitIntervalMs: number | undefined;
  /** `PROCESSING_GUARANTEE` (the service's default when unset; see the service README). */
  readonly processingGuarantee: 'at_least_once' | 'exactly_once_v2';
  /** `METRICS_RECORDING_LEVEL` (`INFO`, `DEBUG` or `TRACE`; default `INFO`). */
  readonly metricsRecordingLevel: MetricsRecordingLevel;
  /** `DLQ_TOPIC`, default `<APPLICATION_ID>-dlq`. */
  readonly dlqTopic: string;
  /**
   * Whether the service answers interactive queries (`interactiveQueries` in its definition): its
   * streams client then advertises {@link applicationServer} or the HTTP server's address.
   */
  readonly interactiveQueries: boolean;
  /** `APPLICATION_SERVER` (only with {@link interactiveQueries}); unset: the HTTP server's `host:port`. */
  readonly applicationServer: string | undefined;
  /** `KAFKA_*`. */
  readonly kafka: KafkaConnectionConfig;
  /** Topic names from `TOPIC_<NAME>`, keyed by `<NAME>`. */
  readonly topics: Readonly<Record<TTopic, string>>;
  /** The service's own variables, parsed. */
  readonly extra: TExtra;
}
