import { Counter, Gauge, Histogram, Registry, register as globalRegistry } from 'prom-client';
import { registeredMetric } from '@gmart/streams';

const BATCH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Why a write was retried (a small fixed set: no error text, no document content in labels). */
export type RetryReason = 'network' | 'server' | 'write_error';

/**
 * The sink's prom-client metrics on one registry, shared by every sink using it; each sink
 * labels its series with `sink` (its name). Documented in the README.
 */
export class MongoSinkMetrics {
  readonly documents: Counter<'sink'>;
  readonly batches: Counter<'sink' | 'outcome'>;
  readonly batchDuration: Histogram<'sink'>;
  readonly retries: Counter<'sink' | 'reason'>;
  readonly buffered: Gauge<'sink' | 'task_id'>;
  readonly refused: Counter<'sink'>;
  readonly bufferFull: Counter<'sink'>;

  constructor(registry: Registry = globalRegistry) {
    const r = [registry];
    this.documents = registeredMetric(
      registry,
      'mongodb_sink_documents_written_total',
      () =>
        new Counter({
          name: 'mongodb_sink_documents_written_total',
          help: 'Documents acknowledged by MongoDB (upserts)',
          labelNames: ['sink'],
          registers: r,
        }),
    );
    this.batches = registeredMetric(
      registry,
      'mongodb_sink_batches_total',
      () =>
        new Counter({
          name: 'mongodb_sink_batches_total',
          help: 'bulkWrite calls by outcome (acknowledged, failed)',
          labelNames: ['sink', 'outcome'],
          registers: r,
        }),
    );
    this.batchDuration = registeredMetric(
      registry,
      'mongodb_sink_batch_duration_seconds',
      () =>
        new Histogram({
          name: 'mongodb_sink_batch_duration_seconds',
          help: 'Duration of acknowledged bulkWrite calls',
          labelNames: ['sink'],
          buckets: BATCH_BUCKETS,
          registers: r,
        }),
    );
    this.retries = registeredMetric(
      registry,
      'mongodb_sink_retries_total',
      () =>
        new Counter({
          name: 'mongodb_sink_retries_total',
          help: 'Writes retried after a retriable failure, by reason (network, server, write_error)',
          labelNames: ['sink', 'reason'],
          registers: r,
        }),
    );
    this.buffered = registeredMetric(
      registry,
      'mongodb_sink_buffered_documents',
      () =>
        new Gauge({
          name: 'mongodb_sink_buffered_documents',
          help: 'Documents buffered and not yet acknowledged, per task',
          labelNames: ['sink', 'task_id'],
          registers: r,
        }),
    );
    this.refused = registeredMetric(
      registry,
      'mongodb_sink_refused_total',
      () =>
        new Counter({
          name: 'mongodb_sink_refused_total',
          help: 'Records refused by the refuse option and forwarded instead of stored',
          labelNames: ['sink'],
          registers: r,
        }),
    );
    this.bufferFull = registeredMetric(
      registry,
      'mongodb_sink_buffer_full_total',
      () =>
        new Counter({
          name: 'mongodb_sink_buffer_full_total',
          help: 'Times a task buffer reached maxBufferedDocuments',
          labelNames: ['sink'],
          registers: r,
        }),
    );
  }
}
