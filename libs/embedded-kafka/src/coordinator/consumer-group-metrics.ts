import { Gauge, type Registry } from 'prom-client';
import type { GroupCoordinator } from './group-coordinator';

interface PartitionRow {
  group: string;
  topic: string;
  partition: number;
  offset: number;
  /** Null when the committed offset is a reset sentinel (-1 latest, -2 earliest): no lag is reported. */
  lag: number | null;
}

function partitionRows(coordinator: GroupCoordinator): PartitionRow[] {
  const catalog = coordinator.partitionCatalog;
  const rows: PartitionRow[] = [];
  for (const group of coordinator.snapshot()) {
    for (const o of group.offsets) {
      const end = catalog.logEndOffset(o.topic, o.partition);
      if (end === undefined) continue; // the topic was deleted: kafka_exporter drops it too
      rows.push({
        group: group.groupId,
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        lag: o.offset >= 0 ? Math.max(0, end - o.offset) : null,
      });
    }
  }
  return rows;
}

function sumsByTopic(
  rows: PartitionRow[],
  pick: (r: PartitionRow) => number,
): Map<string, { group: string; topic: string; sum: number }> {
  const sums = new Map<string, { group: string; topic: string; sum: number }>();
  for (const r of rows) {
    const key = `${r.group}\u0000${r.topic}`;
    const entry = sums.get(key) ?? { group: r.group, topic: r.topic, sum: 0 };
    entry.sum += pick(r);
    sums.set(key, entry);
  }
  return sums;
}

/**
 * Registers the consumer-group gauges danielqsj/kafka_exporter publishes, with
 * the same names and labels, computed from the coordinator when scraped:
 *
 * | metric | labels | value |
 * |---|---|---|
 * | `kafka_consumergroup_current_offset` | consumergroup, topic, partition | committed offset |
 * | `kafka_consumergroup_current_offset_sum` | consumergroup, topic | sum of committed offsets |
 * | `kafka_consumergroup_lag` | consumergroup, topic, partition | log end offset - committed offset |
 * | `kafka_consumergroup_lag_sum` | consumergroup, topic | sum of the lags |
 * | `kafka_consumergroup_members` | consumergroup | members in the group |
 */
export function registerConsumerGroupMetrics(registry: Registry, coordinator: GroupCoordinator): void {
  new Gauge({
    name: 'kafka_consumergroup_current_offset',
    help: 'Current Offset of a ConsumerGroup at Topic/Partition',
    labelNames: ['consumergroup', 'topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of partitionRows(coordinator)) {
        this.set({ consumergroup: r.group, topic: r.topic, partition: String(r.partition) }, r.offset);
      }
    },
  });
  new Gauge({
    name: 'kafka_consumergroup_current_offset_sum',
    help: 'Current Offset of a ConsumerGroup at Topic for all partitions',
    labelNames: ['consumergroup', 'topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sumsByTopic(partitionRows(coordinator), (r) => r.offset).values()) {
        this.set({ consumergroup: s.group, topic: s.topic }, s.sum);
      }
    },
  });
  new Gauge({
    name: 'kafka_consumergroup_lag',
    help: 'Current Approximate Lag of a ConsumerGroup at Topic/Partition',
    labelNames: ['consumergroup', 'topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of partitionRows(coordinator)) {
        if (r.lag !== null)
          this.set({ consumergroup: r.group, topic: r.topic, partition: String(r.partition) }, r.lag);
      }
    },
  });
  new Gauge({
    name: 'kafka_consumergroup_lag_sum',
    help: 'Current Approximate Lag of a ConsumerGroup at Topic for all partitions',
    labelNames: ['consumergroup', 'topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of sumsByTopic(partitionRows(coordinator), (r) => r.lag ?? 0).values()) {
        this.set({ consumergroup: s.group, topic: s.topic }, s.sum);
      }
    },
  });
  new Gauge({
    name: 'kafka_consumergroup_members',
    help: 'Amount of members in a consumer group',
    labelNames: ['consumergroup'],
    registers: [registry],
    collect() {
      this.reset();
      for (const g of coordinator.snapshot()) this.set({ consumergroup: g.groupId }, g.memberIds.length);
    },
  });
}
