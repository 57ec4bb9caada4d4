import { Counter, Histogram, Registry, register as globalRegistry } from 'prom-client';
import type { OutgoingRecord } from '../processor/outgoing-record';
import { ConsumerInterceptor, InterceptedRecord } from './consumer-interceptor';
import { ProducerInterceptor, ProducerRecordMetadata } from './producer-interceptor';
import { registeredMetric } from '../metrics/registered-metric';
import { collectPendingTallies, PendingTallies } from '../metrics/pending-tallies';

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
 * `kafka_producer_ack_latency_seconds` (one observation per acknowledged record).
 *
 * Sends and latencies are tallied in plain maps and added to the metrics whenever they are
 * collected (a scrape, `registry.metrics()`, `metric.get()`), so every collection sees every
 * record sent and acknowledged before it, without prom-client's cost per call on the hot path.
 */
export class MetricsProducerInterceptor implements ProducerInterceptor {
  private readonly sent: Counter<'client_id' | 'topic'>;
  private readonly errors: Counter<'client_id' | 'topic'>;
  private readonly latency: Histogram<'client_id' | 'topic'>;
  private readonly pendingSent: PendingTallies<'client_id' | 'topic'>;
  private readonly pendingLatency: PendingTallies<'client_id' | 'topic'>;
  /** Labels per topic seen so far (their error series is created at 0, so the first error shows in rate() and alerts). */
  private readonly labels = new Map<string, TopicSeries>();
  /** The topic of the last record seen and its series: a run of records of one topic looks nothing up. */
  private lastTopic: string | undefined;
  private last: TopicSeries | undefined;

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
          collect: collectPendingTallies,
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
          collect: collectPendingTallies,
        }),
    );
    this.pendingSent = new PendingTallies(this.sent, undefined);
    this.pendingLatency = new PendingTallies(undefined, this.latency);
  }

  private labelsOf(topic: string): { client_id: string; topic: string } {
    return this.seriesOf(topic).labels;
  }

  private seriesOf(topic: string): TopicSeries {
    if (topic === this.lastTopic) return this.last!;
    let s = this.labels.get(topic);
    if (!s) {
      const labels = { client_id: this.clientId, topic };
      s = { labels, sent: this.pendingSent.countSlot(topic, labels) };
      this.labels.set(topic, s);
      this.errors.inc(labels, 0);
    }
    this.lastTopic = topic;
    this.last = s;
    return s;
  }

  onSend(record: OutgoingRecord): OutgoingRecord {
    this.seriesOf(record.topic).sent.n++;
    return record;
  }

  onAcknowledgement(md: ProducerRecordMetadata, error: Error | null): void {
    const labels = this.labelsOf(md.topic);
    if (error) this.errors.inc(labels);
    else this.pendingLatency.observe(md.topic, labels, Math.max(0, Date.now() - md.sendTimeMs) / 1000);
  }

  /**
   * The records of an acknowledged request: one latency observation per record, as
   * {@link onAcknowledgement} makes, with the clock read once for the request (its records were
   * acknowledged together) and one tally per run of records of the same topic.
   */
  onAcknowledgedRequest(records: readonly OutgoingRecord[], sendTimeMs: number): void {
    const latency = Math.max(0, Date.now() - sendTimeMs) / 1000;
    let i = 0;
    while (i < records.length) {
      const topic = records[i]!.topic;
      let end = i + 1;
      while (end < records.length && records[end]!.topic === topic) end++;
      this.pendingLatency.observe(topic, this.labelsOf(topic), latency, end - i);
      i = end;
    }
  }
}

/** A topic's labels and its pending send count (held across collections). */
interface TopicSeries {
  readonly labels: { client_id: string; topic: string };
  readonly sent: { n: number };
}
