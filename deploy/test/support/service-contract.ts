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
  required: string[];
  /** TOPIC_<NAME> variables and their defaults (seed topic names). */
  topics: Record<string, string>;
}

/** Variables every service reads (besides its topic variables). */
export const COMMON_VARIABLES = [
  'APPLICATION_ID',
  'HTTP_PORT',
  'LOG_LEVEL',
  'SHUTDOWN_TIMEOUT_MS',
  'STATE_DIR',
  'COMMIT_INTERVAL_MS',
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'DLQ_TOPIC',
] as const;

/** Read by the Node.js runtime itself; allowed as extra env. */
export const RUNTIME_VARIABLES = ['NODE_OPTIONS', 'TZ'] as const;

export const STORAGE_VARIABLES = ['MONGODB_URI', 'MONGODB_DATABASE'] as const;

export const SERVICES: ServiceContract[] = [
  {
    name: 'masking',
    port: 8081,
    stateful: false,
    current: true,
    required: ['KAFKA_BROKERS'],
    topics: { TOPIC_TRANSACTIONS: 'transactions', TOPIC_PURCHASES: 'purchases' },
  },
  {
    name: 'patterns',
    port: 8082,
    stateful: false,
    current: true,
    required: ['KAFKA_BROKERS'],
    topics: { TOPIC_PURCHASES: 'purchases', TOPIC_PATTERNS: 'patterns' },
  },
  {
    name: 'rewards',
    port: 8083,
    stateful: true,
    current: true,
    required: ['KAFKA_BROKERS'],
    topics: {
      TOPIC_PURCHASES: 'purchases',
      TOPIC_CUSTOMER_TRANSACTIONS: 'customer_transactions',
      TOPIC_REWARDS: 'rewards',
    },
  },
  {
    name: 'storage',
    port: 8084,
    stateful: false,
    current: true,
    required: ['KAFKA_BROKERS', 'MONGODB_URI'],
    topics: { TOPIC_PURCHASES: 'purchases' },
  },
  {
    name: 'coupon-join',
    port: 8085,
    stateful: true,
    current: false,
    required: ['KAFKA_BROKERS'],
    topics: {},
  },
  {
    name: 'stock-analytics',
    port: 8086,
    stateful: true,
    current: false,
    required: ['KAFKA_BROKERS'],
    topics: {},
  },
];

/** Variable names a service may be given: common ones, its topics, storage's MongoDB ones, any TOPIC_* for later services. */
export function isKnownVariable(service: ServiceContract, name: string): boolean {
  if ((COMMON_VARIABLES as readonly string[]).includes(name)) return true;
  if ((RUNTIME_VARIABLES as readonly string[]).includes(name)) return true;
  if (name in service.topics) return true;
  if (service.name === 'storage' && (STORAGE_VARIABLES as readonly string[]).includes(name)) return true;
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
/** Histograms expose _bucket/_sum/_count series. */
export const HISTOGRAMS = SERVICE_METRICS.filter((m) => m.endsWith('_seconds'));
