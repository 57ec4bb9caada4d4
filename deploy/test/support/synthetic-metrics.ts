/**
 * Synthetic samples for every metric of the contract (kafka_exporter names + the streams library's), written as
 * OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`. They let a real Prometheus evaluate every
 * dashboard query before the services exist; the live check against running services replaces them later.
 */
import { HISTOGRAMS } from './service-contract';

export const GROUP_TOPICS: Record<string, string[]> = {
  'gmart-masking': ['transactions'],
  'gmart-patterns': ['purchases'],
  'gmart-rewards': ['purchases'],
  'gmart-storage': ['purchases'],
  'gmart-stock-analytics': ['stock-transactions'],
};
export const TOPIC_PARTITIONS: Record<string, number> = {
  transactions: 3,
  purchases: 3,
  patterns: 3,
  'gmart-masking-dlq': 1,
  'stock-transactions': 3,
  'stock-performance': 3,
  'transaction-counts-session': 3,
};
export const SYNTHETIC_SERVICES = ['masking', 'patterns', 'rewards', 'storage', 'stock-analytics'];
export const STEP_SECONDS = 15;

/** Lag each group has per partition at step i (the exporter's view). */
export const lagAt = (i: number): number => 100 + i;

export function syntheticOpenMetrics(startSeconds: number, steps: number): string {
  const families = new Map<string, string[]>();
  const add = (name: string, labels: Record<string, string>, value: number, t: number): void => {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    if (!families.has(name)) families.set(name, []);
    families.get(name)!.push(`${name}{${l}} ${value} ${t}`);
  };
  const mid = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    const t = startSeconds + i * STEP_SECONDS;
    const exp = { job: 'kafka-exporter' };
    for (const [topic, n] of Object.entries(TOPIC_PARTITIONS)) {
      add('kafka_topic_partitions', { ...exp, topic }, n, t);
      for (let p = 0; p < n; p++) {
        const partition = String(p);
        const dlq = topic.endsWith('-dlq');
        add(
          'kafka_topic_partition_current_offset',
          { ...exp, topic, partition },
          dlq ? Math.max(0, i - mid) : 1000 + 10 * i,
          t,
        );
        add('kafka_topic_partition_oldest_offset', { ...exp, topic, partition }, 0, t);
      }
    }
    for (const [group, topics] of Object.entries(GROUP_TOPICS)) {
      add('kafka_consumergroup_members', { ...exp, consumergroup: group }, i < mid ? 1 : 2, t);
      for (const topic of topics) {
        add(
          'kafka_consumergroup_lag_sum',
          { ...exp, consumergroup: group, topic },
          TOPIC_PARTITIONS[topic] * lagAt(i),
          t,
        );
        for (let p = 0; p < TOPIC_PARTITIONS[topic]; p++) {
          const labels = { consumergroup: group, topic, partition: String(p) };
          add('kafka_consumergroup_lag', { ...exp, ...labels }, lagAt(i), t);
          add('kafka_consumergroup_current_offset', { ...exp, ...labels }, 900 + 9 * i, t);
          // the owning service publishes its partitions' lag too (must not be counted twice)
          add(
            'kafka_consumergroup_lag',
            { job: 'gmart', service: group.replace(/^gmart-/, ''), ...labels },
            lagAt(i),
            t,
          );
        }
      }
    }
    for (const service of SYNTHETIC_SERVICES) {
      const s = { job: 'gmart', service };
      add('up', s, 1, t);
      add('kafka_stream_thread_process_total', s, 10 * i, t);
      add('kafka_stream_thread_commit_total', s, i, t);
      add('kafka_stream_dropped_records_total', { ...s, reason: 'deserialization' }, i, t);
      add('kafka_stream_task_restore_remaining_records', s, Math.max(0, 100 - 5 * i), t);
      add('kafka_stream_task_restore_total', s, Math.min(100, 5 * i), t);
      add('kafka_consumer_interceptor_records_total', s, 10 * i, t);
      add('kafka_producer_record_send_total', s, 10 * i, t);
      add('kafka_producer_record_error_total', s, i, t);
      if (service === 'stock-analytics') {
        for (const view of ['table', 'stream'])
          add('gmart_stock_ticker_updates_total', { ...s, view }, (view === 'table' ? 2 : 10) * i, t);
        add('gmart_stock_performance_punctuations_total', s, i, t);
        add('gmart_stock_performance_forwarded_total', s, 3 * i, t);
      }
      for (let p = 0; p < 3; p++) {
        add(
          'kafka_consumer_fetch_manager_records_lag',
          { ...s, client_id: `gmart-${service}-0`, topic: 'purchases', partition: String(p) },
          5,
          t,
        );
      }
      for (const h of HISTOGRAMS) {
        const buckets: [string, number][] = [
          ['0.005', 1],
          ['0.05', 5],
          ['0.5', 9],
          ['+Inf', 10],
        ];
        for (const [le, k] of buckets) add(`${h}_bucket`, { ...s, le }, k * i, t);
        add(`${h}_sum`, s, 0.1 * i, t);
        add(`${h}_count`, s, 10 * i, t);
      }
    }
  }
  const out: string[] = [];
  for (const [name, samples] of families) out.push(`# TYPE ${name} gauge`, ...samples);
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}
