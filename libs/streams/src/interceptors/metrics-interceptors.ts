import { Counter, Histogram, Registry, register as globalRegistry } from 'prom-client';
import type { OutgoingRecord } from '../processor/outgoing-record';
import { ConsumerInterceptor, InterceptedRecord } from './consumer-interceptor';
import { ProducerInterceptor, ProducerRecordMetadata } from './producer-interceptor';
import { registeredMetric } from '../metrics/registered-metric';

/** Counts consumed records per topic: `kafka_consumer_interceptor_records_total{client_id,topic}`. */
export class MetricsConsumerInterceptor implements ConsumerInterceptor {
  private readonly records: Counter<'client_id' | 'topic'>;

  constructor(
    private readonly clientId: string,
    registry: Registry = globalRegistry,
  ) {
    this.records = registeredMetric(
      registry,
      'kafka_consumer_interceptor_records_total',
      () =>
        new Counter({
          name: 'kafka_consumer_interceptor_records_total',
          help: 'Records seen by the consumer interceptor',
          labelNames: ['client_id', 'topic'],
          registers: [registry],
        }),
    );
  }

  onConsume(records: InterceptedRecord[]): InterceptedRecord[] {
    if (records.length)
      this.records.inc({ client_id: this.clientId, topic: records[0].topic }, records.length);
    return records;
  }
}

/**
 * Counts sends and errors and observes the acknowledgement latency per topic:
 * `kafka_producer_record_send_total`, `kafka_producer_record_error_total`,
 * `kafka_producer_ack_latency_seconds`.
 */
export class MetricsProducerInterceptor implements ProducerInterceptor {
  private readonly sent: Counter<'client_id' | 'topic'>;
  private readonly errors: Counter<'client_id' | 'topic'>;
  private readonly latency: Histogram<'client_id' | 'topic'>;

  constructor(
    private readonly clientId: string,
    registry: Registry = globalRegistry,
  ) {
    const r = [registry];
    this.sent = registeredMetric(
      registry,
      'kafka_producer_record_send_total',
      () =>
        new Counter({
          name: 'kafka_producer_record_send_total',
          help: 'Records handed to the producer',
          labelNames: ['client_id', 'topic'],
          registers: r,
        }),
    );
    this.errors = registeredMetric(
      registry,
      'kafka_producer_record_error_total',
      () =>
        new Counter({
          name: 'kafka_producer_record_error_total',
          help: 'Records the broker refused or that could not be sent',
          labelNames: ['client_id', 'topic'],
          registers: r,
        }),
    );
    this.latency = registeredMetric(
      registry,
      'kafka_producer_ack_latency_seconds',
      () =>
        new Histogram({
          name: 'kafka_producer_ack_latency_seconds',
          help: 'Time from send to broker acknowledgement',
          labelNames: ['client_id', 'topic'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
          registers: r,
        }),
    );
  }

  /** Topics seen so far: their error series is created at 0, so the first error shows in rate() and alerts. */
  private readonly topics = new Set<string>();

  onSend(record: OutgoingRecord): OutgoingRecord {
    this.sent.inc({ client_id: this.clientId, topic: record.topic });
    if (!this.topics.has(record.topic)) {
      this.topics.add(record.topic);
      this.errors.inc({ client_id: this.clientId, topic: record.topic }, 0);
    }
    return record;
  }

  onAcknowledgement(md: ProducerRecordMetadata, error: Error | null): void {
    if (error) this.errors.inc({ client_id: this.clientId, topic: md.topic });
    else
      this.latency.observe(
        { client_id: this.clientId, topic: md.topic },
        Math.max(0, Date.now() - md.sendTimeMs) / 1000,
      );
  }
}
