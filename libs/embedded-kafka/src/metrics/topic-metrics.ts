import { Gauge, type Registry } from 'prom-client';
import type { LogManager } from '../log/log-manager';

/**
 * Topic gauges with danielqsj/kafka_exporter's names and labels, computed at
 * scrape time from the log manager.
 */
export function registerTopicMetrics(registry: Registry, logs: LogManager): void {
  new Gauge({
    name: 'kafka_brokers',
    help: 'Number of Brokers in the Kafka Cluster.',
    registers: [registry],
    collect() {
      this.set(1);
    },
  });
  new Gauge({
    name: 'kafka_topic_partitions',
    help: 'Number of partitions for this Topic',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const name of logs.topicNames()) this.set({ topic: name }, logs.topic(name)!.partitionCount);
    },
  });
  new Gauge({
    name: 'kafka_topic_partition_current_offset',
    help: 'Current Offset of a Broker at Topic/Partition',
    labelNames: ['topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const name of logs.topicNames()) {
        const n = logs.topic(name)!.partitionCount;
        for (let p = 0; p < n; p++)
          this.set({ topic: name, partition: String(p) }, logs.partition(name, p)!.highWatermark);
      }
    },
  });
  new Gauge({
    name: 'kafka_topic_partition_oldest_offset',
    help: 'Oldest Offset of a Broker at Topic/Partition',
    labelNames: ['topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const name of logs.topicNames()) {
        const n = logs.topic(name)!.partitionCount;
        for (let p = 0; p < n; p++)
          this.set({ topic: name, partition: String(p) }, logs.partition(name, p)!.logStartOffset);
      }
    },
  });
}
