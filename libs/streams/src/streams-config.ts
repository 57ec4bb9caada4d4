import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Registry } from 'prom-client';
import { KafkaClientFactory, RebalanceProtocol } from './client/kafka-client';
import { KAFKA_CLIENTS, KafkaClientName } from './client/kafka-client-name';
import { StreamsConfigError } from './errors/config-error';
import {
  DeserializationExceptionHandler,
  LogAndContinueExceptionHandler,
  LogAndFailExceptionHandler,
} from './errors/deserialization-exception-handler';
import {
  LogAndContinueProcessingExceptionHandler,
  LogAndFailProcessingExceptionHandler,
  ProcessingExceptionHandler,
} from './errors/processing-exception-handler';
import { DeadLetterQueueConfig, DeadLetterRecordMapper } from './errors/dead-letter-queue';
import {
  DefaultProductionExceptionHandler,
  LogAndContinueProductionExceptionHandler,
  ProductionExceptionHandler,
} from './errors/production-exception-handler';
import { StreamsUncaughtExceptionHandler } from './errors/uncaught-exception-handler';
import { ConsumerInterceptor } from './interceptors/consumer-interceptor';
import { ProducerInterceptor } from './interceptors/producer-interceptor';
import { COMPRESSION_TYPES, CompressionType } from './client/compression/compression-type';
import { consoleLogger, Logger } from './logger';
import { Redactor, redactingLogger } from './redactor';
import { TimestampExtractor } from './processor/timestamp-extractor';
import { Serde } from './serialization/serde';
import { Serdes } from './serialization/serdes';
import type { StateRestoreListener } from './state/state-restore-listener';
import { METRICS_RECORDING_LEVELS, type MetricsRecordingLevel } from './metrics/metrics-recording-level';
import {
  resolveTopologyOptimization,
  type TopologyOptimization,
  type TopologyOptimizationRule,
} from './topology-optimization';

/**
 * Delivery guarantee (Kafka's `processing.guarantee`): `at_least_once` (default) or
 * `exactly_once_v2` (transactions: outputs, changelog writes and consumed offsets commit together;
 * see the README's "Exactly-once" section).
 */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

/** Configuration of a `KafkaStreams` instance (and, for the parts that apply, of the test driver). */
export interface StreamsConfig {
  /** Consumer group id, prefix of internal topics and of the state directory. Letters, digits, `.`, `_`, `-`. */
  applicationId: string;
  /** `host:port` list (or comma-separated string) of brokers. */
  bootstrapServers: string[] | string;
  /** Client id of the consumer/producer/admin; default `<applicationId>-<random>`. */
  clientId?: string;
  /** How often offsets are committed (after outputs are acked). Default 30000; 100 under `exactly_once_v2`. */
  commitIntervalMs?: number;
  processingGuarantee?: ProcessingGuarantee;
  /** Default serdes for sources/sinks without explicit ones. Default `Serdes.Buffer()`. */
  defaultKeySerde?: Serde<unknown>;
  defaultValueSerde?: Serde<unknown>;
  /** Default timestamp extractor. Default `FailOnInvalidTimestamp`. */
  defaultTimestampExtractor?: TimestampExtractor;
  /** Replication factor of internal topics. Default -1 (the broker's default). */
  replicationFactor?: number;
  /** Root of local state: `<stateDir>/<applicationId>/<taskId>`. Default `<tmpdir>/gmart-streams`. */
  stateDir?: string;
  /** Consumers (stream threads) in this instance. Default 1. */
  numStreamThreads?: number;
  /** Reserved (standby tasks are not implemented): must be 0. */
  numStandbyReplicas?: number;
  /**
   * Record cache budget of the instance (Kafka Streams' `cache.max.bytes.buffering`): each stream thread,
   * and the global thread when there are global stores, gets an equal share for all its tasks' caching
   * stores. Default 10 MiB.
   */
  cacheMaxBytesBuffering?: number;
  /** TLS options passed to the Kafka client. */
  ssl?: unknown;
  /** SASL options passed to the Kafka client. */
  sasl?: unknown;
  /** Extra Kafka client options passed through (kafkajs: connectionTimeout, requestTimeout, retry, ...). */
  client?: Record<string, unknown>;
  /** Consumer options passed through (kafkajs: sessionTimeout, heartbeatInterval, maxBytes, ...). */
  consumer?: Record<string, unknown>;
  /** Producer options passed through (kafkajs: retry, maxInFlightRequests, ...). */
  producer?: Record<string, unknown>;
  /**
   * Codec of the record batches the application writes (Kafka's producer `compression.type`):
   * `none` (default), `gzip`, `snappy`, `lz4` or `zstd`. Every codec is always readable.
   */
  compressionType?: CompressionType;
  consumerInterceptors?: ConsumerInterceptor[];
  producerInterceptors?: ProducerInterceptor[];
  deserializationExceptionHandler?: 'logAndFail' | 'logAndContinue' | DeserializationExceptionHandler;
  processingExceptionHandler?: 'logAndFail' | 'logAndContinue' | ProcessingExceptionHandler;
  productionExceptionHandler?: 'fail' | 'continue' | ProductionExceptionHandler;
  /** When set, records dropped by a handler are written there (raw bytes plus `__streams.errors.*` headers). */
  deadLetterQueueTopic?: string;
  /**
   * The dead-letter queue with a record mapper (e.g. to mask sensitive bytes before they are
   * written); `topic` defaults to `deadLetterQueueTopic`. See `DeadLetterQueueConfig`.
   */
  deadLetterQueue?: DeadLetterQueueConfig;
  uncaughtExceptionHandler?: StreamsUncaughtExceptionHandler;
  /** prom-client registry for the metrics. Default: prom-client's global registry. */
  metricsRegistry?: Registry;
  /**
   * Which metrics are recorded (Kafka Streams' `metrics.recording.level`). `INFO` (default): client,
   * thread, interceptor, lag and end-to-end latency metrics. `DEBUG` adds the state stores' operation
   * latencies (`kafka_stream_state_<op>_latency_seconds`), timed around every store call. `TRACE`
   * records what `DEBUG` does (no metric here is TRACE-only).
   */
  metricsRecordingLevel?: MetricsRecordingLevel;
  /** Told about the restoration of each store (start, batches, end). */
  stateRestoreListener?: StateRestoreListener;
  /**
   * `host:port` of this instance's query endpoint (Kafka Streams' `application.server`), shared with
   * the group so `queryMetadataForKey` can say which instance holds a key. Default: none.
   */
  applicationServer?: string;
  logger?: Logger;
  /**
   * Masks sensitive content (e.g. card numbers) in everything the library writes itself: every
   * line given to `logger` (message, string fields, error messages and stacks) and every
   * dead-letter record (key, value, headers; applied after `deadLetterQueue.mapRecord`). With a
   * redactor, the `__streams.errors.message` header of a processing error carries the error's
   * message (redacted) instead of withholding it. Default: none.
   */
  redactor?: Redactor;
  /**
   * The Kafka client: `kafkajs` (default) or `platformatic` (@platformatic/kafka: flexible protocol
   * versions, static membership, cooperative rebalancing). Ignored when `clientFactory` is set.
   */
  kafkaClient?: KafkaClientName;
  /**
   * Static membership (Kafka's `group.instance.id`, KIP-345): an instance that restarts within the
   * consumer's session timeout gets its tasks back without a rebalance. Each stream thread joins as
   * `<groupInstanceId>-<thread number>`. Needs the platformatic client. Default: none (dynamic member).
   */
  groupInstanceId?: string;
  /**
   * `eager` (default): every rebalance stops every task. `cooperative` (KIP-429, Kafka Streams'
   * default): tasks of partitions that stay with an instance keep processing through a rebalance;
   * only revoked tasks commit and close. Needs the platformatic client.
   */
  rebalanceProtocol?: RebalanceProtocol;
  /** The Kafka client implementation (overrides `kafkaClient`). */
  clientFactory?: KafkaClientFactory;
  /** Records buffered before a produce request is sent. Default 2000. */
  producerBatchSize?: number;
  /**
   * Bytes of one partition's output records (estimated) that fill its batch: Kafka's producer
   * `batch.size`. As in Kafka's producer, a produce request is started (when none is in flight)
   * once some partition's batch is full, without lingering. Default 16384 (Kafka's).
   */
  producerBatchBytes?: number;
  /**
   * Longest time an output record waits for more before a produce request that is not full (no
   * partition has `producerBatchBytes` buffered, fewer than `producerBatchSize` records and 1 MiB)
   * is sent: Kafka's producer `linger.ms`, which Kafka Streams sets to 100. A commit sends what is
   * buffered at once. 0 sends after every fetched batch. Default 100.
   */
  producerLingerMs?: number;
  /**
   * Age after which the producer side refreshes the partition counts of the topics it writes to
   * (Kafka's `metadata.max.age.ms`): partitions added to a sink topic are used from then on.
   * Default 300000 (5 minutes).
   */
  metadataMaxAgeMs?: number;
  /**
   * Bytes a stream thread's consumer fetches ahead while it processes the batch before (one Fetch
   * without long poll, at most this many bytes), so fetching overlaps processing, as the Java
   * consumer's fetch buffer does. Records fetched ahead for a partition that is sought, paused or
   * revoked meanwhile are dropped and fetched again. 0 turns it off. kafkajs client only (the
   * platformatic client fetches after each batch). Default 1048576 (1 MiB).
   */
  consumerPrefetchMaxBytes?: number;
  /**
   * Kafka Streams' `topology.optimization`: `none` (default), `all`, or a comma-separated list of
   * rules. `reuse.ktable.source.topics` (the one rule implemented, and what `all` applies): a
   * `StreamsBuilder.table(topic)` store uses `topic` as its changelog, so no
   * `<applicationId>-<store>-changelog` is created or written; it restores from `topic` up to the
   * task's committed offset. Applied to the topology when the first `KafkaStreams` (or test driver)
   * is created from it; unknown or unimplemented rules stop the start naming this field.
   */
  topologyOptimization?: TopologyOptimization;
}

/** The config with every default filled in and every value checked. */
export interface ResolvedConfig {
  readonly applicationId: string;
  readonly bootstrapServers: string[];
  readonly clientId: string;
  readonly commitIntervalMs: number;
  readonly processingGuarantee: ProcessingGuarantee;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  readonly defaultTimestampExtractor?: TimestampExtractor;
  readonly replicationFactor: number;
  readonly stateDir: string;
  readonly numStreamThreads: number;
  readonly cacheMaxBytesBuffering: number;
  readonly ssl?: unknown;
  readonly sasl?: unknown;
  readonly client: Record<string, unknown>;
  readonly consumer: Record<string, unknown>;
  readonly producer: Record<string, unknown>;
  readonly compressionType: CompressionType;
  readonly consumerInterceptors: ConsumerInterceptor[];
  readonly producerInterceptors: ProducerInterceptor[];
  readonly deserializationHandler: DeserializationExceptionHandler;
  readonly processingHandler: ProcessingExceptionHandler;
  readonly productionHandler: ProductionExceptionHandler;
  readonly deadLetterQueueTopic?: string;
  readonly deadLetterRecordMapper?: DeadLetterRecordMapper;
  readonly uncaughtExceptionHandler?: StreamsUncaughtExceptionHandler;
  readonly metricsRegistry?: Registry;
  readonly metricsRecordingLevel: MetricsRecordingLevel;
  readonly stateRestoreListener?: StateRestoreListener;
  readonly applicationServer?: string;
  /** Every line goes through {@link ResolvedConfig.redactor} when one is set. */
  readonly logger: Logger;
  readonly redactor?: Redactor;
  readonly clientFactory?: KafkaClientFactory;
  readonly kafkaClient: KafkaClientName;
  readonly groupInstanceId?: string;
  readonly rebalanceProtocol: RebalanceProtocol;
  readonly producerBatchSize: number;
  readonly producerBatchBytes: number;
  readonly producerLingerMs: number;
  readonly metadataMaxAgeMs: number;
  readonly consumerPrefetchMaxBytes: number;
  readonly topologyOptimization: ReadonlySet<TopologyOptimizationRule>;
}

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Default of {@link StreamsConfig.consumerPrefetchMaxBytes}: 1 MiB fetched ahead per stream thread. */
export const DEFAULT_CONSUMER_PREFETCH_MAX_BYTES = 1024 * 1024;

function compressionType(value: unknown): CompressionType {
  if (value === undefined) return 'none';
  if (!COMPRESSION_TYPES.includes(value as CompressionType))
    throw new StreamsConfigError(
      'compressionType',
      `must be one of ${COMPRESSION_TYPES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return value as CompressionType;
}

function clientChoice(config: Partial<StreamsConfig>): {
  kafkaClient: KafkaClientName;
  groupInstanceId?: string;
  rebalanceProtocol: RebalanceProtocol;
} {
  const kafkaClient = config.kafkaClient ?? 'kafkajs';
  if (!KAFKA_CLIENTS.includes(kafkaClient))
    throw new StreamsConfigError(
      'kafkaClient',
      `must be one of ${KAFKA_CLIENTS.join(', ')}, got ${JSON.stringify(config.kafkaClient)}`,
    );
  const rebalanceProtocol = config.rebalanceProtocol ?? 'eager';
  if (rebalanceProtocol !== 'eager' && rebalanceProtocol !== 'cooperative')
    throw new StreamsConfigError(
      'rebalanceProtocol',
      `must be eager or cooperative, got ${JSON.stringify(config.rebalanceProtocol)}`,
    );
  const own = !config.clientFactory;
  if (own && rebalanceProtocol === 'cooperative' && kafkaClient === 'kafkajs')
    throw new StreamsConfigError(
      'rebalanceProtocol',
      'cooperative rebalancing needs kafkaClient: platformatic (kafkajs rebalances eagerly only)',
    );
  const id = config.groupInstanceId;
  if (id !== undefined) {
    if (typeof id !== 'string' || id.length === 0 || id.length > 249 || !LEGAL.test(id))
      throw new StreamsConfigError(
        'groupInstanceId',
        `must be 1-249 letters, digits, '.', '_' or '-', got ${JSON.stringify(id)}`,
      );
    if (own && kafkaClient === 'kafkajs')
      throw new StreamsConfigError(
        'groupInstanceId',
        'static membership needs kafkaClient: platformatic (kafkajs has no group.instance.id)',
      );
  }
  return { kafkaClient, groupInstanceId: id, rebalanceProtocol };
}

function recordingLevel(v: unknown): MetricsRecordingLevel {
  if (v === undefined) return 'INFO';
  if (!(METRICS_RECORDING_LEVELS as readonly unknown[]).includes(v)) {
    throw new StreamsConfigError(
      'metricsRecordingLevel',
      `must be one of ${METRICS_RECORDING_LEVELS.join(', ')}, got ${JSON.stringify(v)}`,
    );
  }
  return v as MetricsRecordingLevel;
}

function nonNegativeInt(field: string, v: unknown, dflt: number, min = 0): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new StreamsConfigError(field, `must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function isSerde(v: unknown): v is Serde<unknown> {
  return (
    !!v &&
    typeof (v as Serde<unknown>).serializer === 'function' &&
    typeof (v as Serde<unknown>).deserializer === 'function'
  );
}

function pickHandler<T>(
  field: string,
  v: unknown,
  named: Record<string, () => T>,
  method: string,
  dflt: string,
): T {
  if (v === undefined) return named[dflt]();
  if (typeof v === 'string') {
    const make = named[v];
    if (!make)
      throw new StreamsConfigError(
        field,
        `must be one of ${Object.keys(named)
          .map((k) => `"${k}"`)
          .join(', ')} or a handler object, got "${v}"`,
      );
    return make();
  }
  if (v && typeof (v as Record<string, unknown>)[method] === 'function') return v as T;
  throw new StreamsConfigError(
    field,
    `must be one of ${Object.keys(named)
      .map((k) => `"${k}"`)
      .join(', ')} or an object with a ${method}() method`,
  );
}

/**
 * Checks a config and fills in defaults; throws a `StreamsConfigError` naming the first bad field.
 * `requireBrokers` is false for the test driver.
 */
export function resolveConfig(config: Partial<StreamsConfig>, requireBrokers = true): ResolvedConfig {
  if (!config || typeof config !== 'object') throw new StreamsConfigError('config', 'must be an object');
  const applicationId = config.applicationId;
  if (typeof applicationId !== 'string' || !LEGAL.test(applicationId)) {
    throw new StreamsConfigError(
      'applicationId',
      `is required and may hold only letters, digits, ".", "_" and "-", got ${JSON.stringify(applicationId)}`,
    );
  }
  let bootstrapServers: string[] = [];
  if (requireBrokers || config.bootstrapServers !== undefined) {
    const bs = config.bootstrapServers;
    bootstrapServers =
      typeof bs === 'string'
        ? bs
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : Array.isArray(bs)
          ? bs
          : [];
    if (bootstrapServers.length === 0)
      throw new StreamsConfigError('bootstrapServers', 'is required: a list of "host:port"');
    for (const b of bootstrapServers) {
      if (typeof b !== 'string' || !/^[^:\s]+:\d+$/.test(b))
        throw new StreamsConfigError('bootstrapServers', `entry ${JSON.stringify(b)} is not "host:port"`);
    }
  }
  if (config.clientId !== undefined && (typeof config.clientId !== 'string' || !config.clientId)) {
    throw new StreamsConfigError('clientId', 'must be a non-empty string');
  }
  const guarantee = config.processingGuarantee ?? 'at_least_once';
  if (guarantee !== 'at_least_once' && guarantee !== 'exactly_once_v2') {
    throw new StreamsConfigError(
      'processingGuarantee',
      `must be "at_least_once" or "exactly_once_v2", got ${JSON.stringify(guarantee)}`,
    );
  }
  for (const f of ['defaultKeySerde', 'defaultValueSerde'] as const) {
    if (config[f] !== undefined && !isSerde(config[f]))
      throw new StreamsConfigError(f, 'must be a Serde (an object with serializer() and deserializer())');
  }
  if (
    config.defaultTimestampExtractor !== undefined &&
    typeof config.defaultTimestampExtractor?.extract !== 'function'
  ) {
    throw new StreamsConfigError('defaultTimestampExtractor', 'must have an extract() method');
  }
  const replicationFactor = config.replicationFactor ?? -1;
  if (!Number.isInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
    throw new StreamsConfigError(
      'replicationFactor',
      `must be -1 (broker default) or a positive integer, got ${JSON.stringify(config.replicationFactor)}`,
    );
  }
  if (config.stateDir !== undefined && (typeof config.stateDir !== 'string' || !config.stateDir))
    throw new StreamsConfigError('stateDir', 'must be a non-empty path');
  const standby = nonNegativeInt('numStandbyReplicas', config.numStandbyReplicas, 0);
  if (standby !== 0)
    throw new StreamsConfigError('numStandbyReplicas', 'standby replicas are not implemented yet; must be 0');
  for (const f of ['consumerInterceptors', 'producerInterceptors'] as const) {
    const list = config[f];
    if (list !== undefined && !Array.isArray(list))
      throw new StreamsConfigError(f, 'must be an array of interceptors');
  }
  (config.consumerInterceptors ?? []).forEach((i, n) => {
    if (typeof i?.onConsume !== 'function')
      throw new StreamsConfigError(`consumerInterceptors[${n}]`, 'must have an onConsume() method');
  });
  (config.producerInterceptors ?? []).forEach((i, n) => {
    if (typeof i?.onSend !== 'function')
      throw new StreamsConfigError(`producerInterceptors[${n}]`, 'must have an onSend() method');
  });
  for (const f of ['client', 'consumer', 'producer'] as const) {
    if (config[f] !== undefined && (typeof config[f] !== 'object' || config[f] === null))
      throw new StreamsConfigError(f, 'must be an object of client options');
  }
  if (
    config.deadLetterQueueTopic !== undefined &&
    (typeof config.deadLetterQueueTopic !== 'string' || !LEGAL.test(config.deadLetterQueueTopic))
  ) {
    throw new StreamsConfigError(
      'deadLetterQueueTopic',
      `must be a legal topic name, got ${JSON.stringify(config.deadLetterQueueTopic)}`,
    );
  }
  const dlq = config.deadLetterQueue;
  if (dlq !== undefined && (typeof dlq !== 'object' || dlq === null))
    throw new StreamsConfigError('deadLetterQueue', 'must be an object { topic?, mapRecord? }');
  if (dlq?.topic !== undefined && (typeof dlq.topic !== 'string' || !LEGAL.test(dlq.topic))) {
    throw new StreamsConfigError(
      'deadLetterQueue.topic',
      `must be a legal topic name, got ${JSON.stringify(dlq.topic)}`,
    );
  }
  if (
    dlq?.topic !== undefined &&
    config.deadLetterQueueTopic !== undefined &&
    dlq.topic !== config.deadLetterQueueTopic
  ) {
    throw new StreamsConfigError(
      'deadLetterQueue.topic',
      `differs from deadLetterQueueTopic (${JSON.stringify(dlq.topic)} vs ${JSON.stringify(config.deadLetterQueueTopic)}); set one of them`,
    );
  }
  if (dlq?.mapRecord !== undefined && typeof dlq.mapRecord !== 'function')
    throw new StreamsConfigError(
      'deadLetterQueue.mapRecord',
      'must be a function (record, context) => record | null',
    );
  const deadLetterQueueTopic = dlq?.topic ?? config.deadLetterQueueTopic;
  if (dlq?.mapRecord && deadLetterQueueTopic === undefined) {
    throw new StreamsConfigError(
      'deadLetterQueue.topic',
      'is required with deadLetterQueue.mapRecord (or set deadLetterQueueTopic)',
    );
  }
  if (
    config.redactor !== undefined &&
    (typeof config.redactor !== 'object' ||
      config.redactor === null ||
      typeof config.redactor.redactText !== 'function' ||
      typeof config.redactor.redactBytes !== 'function')
  ) {
    throw new StreamsConfigError(
      'redactor',
      'must be an object { redactText(text): string, redactBytes(bytes): Buffer }',
    );
  }
  if (
    config.uncaughtExceptionHandler !== undefined &&
    typeof config.uncaughtExceptionHandler !== 'function'
  ) {
    throw new StreamsConfigError(
      'uncaughtExceptionHandler',
      'must be a function (error) => StreamThreadExceptionResponse',
    );
  }
  if (
    config.applicationServer !== undefined &&
    (typeof config.applicationServer !== 'string' || !/^[^:\s]+:\d{1,5}$/.test(config.applicationServer))
  ) {
    throw new StreamsConfigError(
      'applicationServer',
      `must be "host:port", got ${JSON.stringify(config.applicationServer)}`,
    );
  }
  return {
    applicationId,
    bootstrapServers,
    clientId: config.clientId ?? `${applicationId}-${randomUUID().slice(0, 8)}`,
    // Kafka Streams: 30000 ms, 100 ms under exactly-once (each commit ends a transaction).
    commitIntervalMs: nonNegativeInt(
      'commitIntervalMs',
      config.commitIntervalMs,
      guarantee === 'exactly_once_v2' ? 100 : 30000,
    ),
    processingGuarantee: guarantee,
    defaultKeySerde: config.defaultKeySerde ?? Serdes.Buffer(),
    defaultValueSerde: config.defaultValueSerde ?? Serdes.Buffer(),
    defaultTimestampExtractor: config.defaultTimestampExtractor,
    replicationFactor,
    stateDir: config.stateDir ?? path.join(os.tmpdir(), 'gmart-streams'),
    numStreamThreads: nonNegativeInt('numStreamThreads', config.numStreamThreads, 1, 1),
    cacheMaxBytesBuffering: nonNegativeInt(
      'cacheMaxBytesBuffering',
      config.cacheMaxBytesBuffering,
      10 * 1024 * 1024,
    ),
    ssl: config.ssl,
    sasl: config.sasl,
    client: config.client ?? {},
    consumer: config.consumer ?? {},
    producer: config.producer ?? {},
    compressionType: compressionType(config.compressionType),
    consumerInterceptors: config.consumerInterceptors ?? [],
    producerInterceptors: config.producerInterceptors ?? [],
    deserializationHandler: pickHandler<DeserializationExceptionHandler>(
      'deserializationExceptionHandler',
      config.deserializationExceptionHandler,
      {
        logAndFail: () => new LogAndFailExceptionHandler(),
        logAndContinue: () => new LogAndContinueExceptionHandler(),
      },
      'handle',
      'logAndFail',
    ),
    processingHandler: pickHandler<ProcessingExceptionHandler>(
      'processingExceptionHandler',
      config.processingExceptionHandler,
      {
        logAndFail: () => new LogAndFailProcessingExceptionHandler(),
        logAndContinue: () => new LogAndContinueProcessingExceptionHandler(),
      },
      'handle',
      'logAndFail',
    ),
    productionHandler: pickHandler<ProductionExceptionHandler>(
      'productionExceptionHandler',
      config.productionExceptionHandler,
      {
        fail: () => new DefaultProductionExceptionHandler(),
        continue: () => new LogAndContinueProductionExceptionHandler(),
      },
      'handle',
      'fail',
    ),
    deadLetterQueueTopic,
    deadLetterRecordMapper: dlq?.mapRecord,
    uncaughtExceptionHandler: config.uncaughtExceptionHandler,
    metricsRegistry: config.metricsRegistry,
    metricsRecordingLevel: recordingLevel(config.metricsRecordingLevel),
    stateRestoreListener: config.stateRestoreListener,
    applicationServer: config.applicationServer,
    logger: config.redactor
      ? redactingLogger(config.logger ?? consoleLogger(), config.redactor)
      : (config.logger ?? consoleLogger()),
    redactor: config.redactor,
    clientFactory: config.clientFactory,
    ...clientChoice(config),
    producerBatchSize: nonNegativeInt('producerBatchSize', config.producerBatchSize, 2000, 1),
    // Kafka's producer default (Kafka Streams does not override it).
    producerBatchBytes: nonNegativeInt('producerBatchBytes', config.producerBatchBytes, 16384, 1),
    // Kafka Streams' producer default (StreamsConfig's producer overrides: linger.ms=100), under
    // both guarantees.
    producerLingerMs: nonNegativeInt('producerLingerMs', config.producerLingerMs, 100),
    metadataMaxAgeMs: nonNegativeInt('metadataMaxAgeMs', config.metadataMaxAgeMs, 300000, 1),
    consumerPrefetchMaxBytes: nonNegativeInt(
      'consumerPrefetchMaxBytes',
      config.consumerPrefetchMaxBytes,
      DEFAULT_CONSUMER_PREFETCH_MAX_BYTES,
    ),
    topologyOptimization: resolveTopologyOptimization(config.topologyOptimization),
  };
}
