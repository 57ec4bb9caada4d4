import { Counter, Gauge, Histogram, Registry, register as globalRegistry } from 'prom-client';
import { registeredMetric } from './registered-metric';

const LATENCY_BUCKETS = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const E2E_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The library's prom-client metrics on one registry (shared by every instance using it;
 * each instance labels its series with its `client_id`). Documented in the README.
 */
export class StreamsMetrics {
  readonly positionLag: Gauge<'client_id' | 'topic' | 'partition'>;
  readonly committedLag: Gauge<'consumergroup' | 'topic' | 'partition'>;
  readonly processTotal: Counter<'client_id' | 'thread_id'>;
  readonly processLatency: Histogram<'client_id'>;
  readonly commitTotal: Counter<'client_id' | 'thread_id'>;
  readonly commitLatency: Histogram<'client_id'>;
  readonly e2eLatency: Histogram<'client_id' | 'topic'>;
  readonly dropped: Counter<'client_id' | 'reason'>;
  readonly rebalances: Counter<'client_id'>;
  readonly state: Gauge<'client_id' | 'state'>;
  readonly threads: Gauge<'client_id'>;
  readonly tasks: Gauge<'client_id'>;

  constructor(readonly registry: Registry = globalRegistry) {
    const r = [registry];
    this.positionLag = registeredMetric(
      registry,
      'kafka_consumer_fetch_manager_records_lag',
      () =>
        new Gauge({
          name: 'kafka_consumer_fetch_manager_records_lag',
          help: 'Records between the consumer position and the end of each owned partition',
          labelNames: ['client_id', 'topic', 'partition'],
          registers: r,
        }),
    );
    this.committedLag = registeredMetric(
      registry,
      'kafka_consumergroup_lag',
      () =>
        new Gauge({
          name: 'kafka_consumergroup_lag',
          help: 'Records between the committed offset and the end of each owned partition',
          labelNames: ['consumergroup', 'topic', 'partition'],
          registers: r,
        }),
    );
    this.processTotal = registeredMetric(
      registry,
      'kafka_stream_thread_process_total',
      () =>
        new Counter({
          name: 'kafka_stream_thread_process_total',
          help: 'Records processed by stream threads',
          labelNames: ['client_id', 'thread_id'],
          registers: r,
        }),
    );
    this.processLatency = registeredMetric(
      registry,
      'kafka_stream_thread_process_latency_seconds',
      () =>
        new Histogram({
          name: 'kafka_stream_thread_process_latency_seconds',
          help: 'Per-record processing time (average over each fetched batch)',
          labelNames: ['client_id'],
          buckets: LATENCY_BUCKETS,
          registers: r,
        }),
    );
    this.commitTotal = registeredMetric(
      registry,
      'kafka_stream_thread_commit_total',
      () =>
        new Counter({
          name: 'kafka_stream_thread_commit_total',
          help: 'Commits (outputs acked, then offsets committed)',
          labelNames: ['client_id', 'thread_id'],
          registers: r,
        }),
    );
    this.commitLatency = registeredMetric(
      registry,
      'kafka_stream_thread_commit_latency_seconds',
      () =>
        new Histogram({
          name: 'kafka_stream_thread_commit_latency_seconds',
          help: 'Duration of a commit',
          labelNames: ['client_id'],
          buckets: E2E_BUCKETS,
          registers: r,
        }),
    );
    this.e2eLatency = registeredMetric(
      registry,
      'kafka_stream_record_e2e_latency_seconds',
      () =>
        new Histogram({
          name: 'kafka_stream_record_e2e_latency_seconds',
          help: 'Wall-clock time at processing minus record timestamp (last record of each fetched batch)',
          labelNames: ['client_id', 'topic'],
          buckets: E2E_BUCKETS,
          registers: r,
        }),
    );
    this.dropped = registeredMetric(
      registry,
      'kafka_stream_dropped_records_total',
      () =>
        new Counter({
          name: 'kafka_stream_dropped_records_total',
          help: 'Records dropped by exception handlers or invalid timestamps',
          labelNames: ['client_id', 'reason'],
          registers: r,
        }),
    );
    this.rebalances = registeredMetric(
      registry,
      'kafka_stream_rebalances_total',
      () =>
        new Counter({
          name: 'kafka_stream_rebalances_total',
          help: 'Group joins (initial join and every rebalance) of stream threads',
          labelNames: ['client_id'],
          registers: r,
        }),
    );
    this.state = registeredMetric(
      registry,
      'kafka_stream_client_state',
      () =>
        new Gauge({
          name: 'kafka_stream_client_state',
          help: '1 for the current state of the KafkaStreams client, 0 otherwise',
          labelNames: ['client_id', 'state'],
          registers: r,
        }),
    );
    this.threads = registeredMetric(
      registry,
      'kafka_stream_alive_stream_threads',
      () =>
        new Gauge({
          name: 'kafka_stream_alive_stream_threads',
          help: 'Running stream threads',
          labelNames: ['client_id'],
          registers: r,
        }),
    );
    this.tasks = registeredMetric(
      registry,
      'kafka_stream_active_tasks',
      () =>
        new Gauge({
          name: 'kafka_stream_active_tasks',
          help: 'Active tasks of this client',
          labelNames: ['client_id'],
          registers: r,
        }),
    );
  }
}
