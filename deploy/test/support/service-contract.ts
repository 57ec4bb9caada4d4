import { maskingConfig } from '../../../apps/masking/src/masking.config';
import { patternsConfig } from '../../../apps/patterns/src/patterns.config';
import { rewardsConfig } from '../../../apps/rewards/src/rewards.config';
import { storageConfig } from '../../../apps/storage/src/storage.config';
import { couponJoinConfig } from '../../../apps/coupon-join/src/coupon-join.config';
import { stockAnalyticsConfig } from '../../../apps/stock-analytics/src/stock-analytics.config';
import { KAFKA_CONNECTION_VARIABLES } from '@gmart/kafka-connection';

/**
 * The runtime contract of the G-Mart services that the deployment assets must honour (issue 7's fixed facts):
 * ports, statefulness and the environment variables each service reads. Compose and Helm are checked against it.
 */
export interface ServiceContract {
  name: string;
  port: number;
  stateful: boolean;
  /** Present now (the others are "later" services: disabled by default, profile `later` in compose). */
  current: boolean;
  /** Every variable the service reads (for current services: from its config declaration). */
  variables: string[];
  required: string[];
  /** TOPIC_<NAME> variables and their defaults (seed topic names). */
  topics: Record<string, string>;
  /** The service's default `PROCESSING_GUARANTEE`, which compose and Helm must set. */
  processingGuarantee: string;
}

/** Variables every service reads (besides its topic variables). */
export const COMMON_VARIABLES = [
  'APPLICATION_ID',
  'HTTP_PORT',
  'LOG_LEVEL',
  'SHUTDOWN_TIMEOUT_MS',
  'STATE_DIR',
  'COMMIT_INTERVAL_MS',
  'PROCESSING_GUARANTEE',
  'METRICS_RECORDING_LEVEL',
  'KAFKA_CLIENT_ID',
  // The connection variables as the services' parser (@gmart/kafka-connection) reads them.
  ...KAFKA_CONNECTION_VARIABLES,
  'DLQ_TOPIC',
] as const;

/**
 * Read by the Node.js runtime itself or the image's entrypoint (GMART_FIXED_SEMI_SPACE,
 * GMART_SINGLE_THREADED_GC); allowed as extra env.
 */
export const RUNTIME_VARIABLES = [
  'NODE_OPTIONS',
  'GMART_FIXED_SEMI_SPACE',
  'GMART_SINGLE_THREADED_GC',
  'TZ',
] as const;

export const STORAGE_VARIABLES = ['MONGODB_URI', 'MONGODB_DATABASE'] as const;

/** The declarations the services load their environment with (`apps/<name>/src/<name>.config.ts`). */
const DECLARED: Record<
  string,
  { variables(): { name: string; required: boolean; default: string | undefined }[] }
> = {
  masking: maskingConfig,
  patterns: patternsConfig,
  rewards: rewardsConfig,
  storage: storageConfig,
  'coupon-join': couponJoinConfig,
  'stock-analytics': stockAnalyticsConfig,
};

/** A current service's contract, read from its own config declaration rather than restated here. */
function declared(name: string, port: number, stateful: boolean): ServiceContract {
  const variables = DECLARED[name]!.variables();
  return {
    name,
    port,
    stateful,
    current: true,
    variables: variables.map((v) => v.name),
    required: variables.filter((v) => v.required).map((v) => v.name),
    topics: Object.fromEntries(
      variables.filter((v) => v.name.startsWith('TOPIC_')).map((v) => [v.name, v.default ?? '']),
    ),
    processingGuarantee: variables.find((v) => v.name === 'PROCESSING_GUARANTEE')!.default!,
  };
}

export const SERVICES: ServiceContract[] = [
  declared('masking', 8081, false),
  declared('patterns', 8082, false),
  declared('rewards', 8083, true),
  declared('storage', 8084, false),
  declared('coupon-join', 8085, true),
  declared('stock-analytics', 8086, true),
];

/** Variable names a service may be given: common ones, its topics, storage's MongoDB ones, any TOPIC_* for later services. */
export function isKnownVariable(service: ServiceContract, name: string): boolean {
  if (service.variables.includes(name)) return true;
  if ((RUNTIME_VARIABLES as readonly string[]).includes(name)) return true;
  if (name === 'POD_IP') return true; // only used to compose APPLICATION_SERVER in the chart
  return !service.current && /^TOPIC_[A-Z0-9_]+$/.test(name);
}

/** Metric names the dashboards and rules may use: kafka_exporter's, the streams library's, Prometheus's own `up`. */
export const EXPORTER_METRICS = [
  'kafka_consumergroup_lag',
  'kafka_consumergroup_lag_sum',
  'kafka_consumergroup_current_offset',
  'kafka_consumergroup_members',
  'kafka_topic_partition_current_offset',
  'kafka_topic_partition_oldest_offset',
  'kafka_topic_partitions',
];
export const SERVICE_METRICS = [
  'kafka_consumer_fetch_manager_records_lag',
  'kafka_stream_thread_process_total',
  'kafka_stream_thread_process_latency_seconds',
  'kafka_stream_thread_commit_total',
  'kafka_stream_thread_commit_latency_seconds',
  'kafka_stream_record_e2e_latency_seconds',
  'kafka_stream_dropped_records_total',
  'kafka_stream_task_restore_remaining_records',
  'kafka_stream_task_restore_total',
  'kafka_consumer_interceptor_records_total',
  'kafka_producer_record_send_total',
  'kafka_producer_record_error_total',
  'kafka_producer_ack_latency_seconds',
];
/** stock-analytics' own metrics (`StockAnalyticsMetrics`), on its stock dashboard. */
export const STOCK_ANALYTICS_METRICS = [
  'gmart_stock_ticker_updates_total',
  'gmart_stock_performance_punctuations_total',
  'gmart_stock_performance_forwarded_total',
];
/** Histograms expose _bucket/_sum/_count series. */
export const HISTOGRAMS = SERVICE_METRICS.filter((m) => m.endsWith('_seconds'));
