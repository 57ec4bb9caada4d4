/** One topic as the cluster should have it. */
export interface TopicSpec {
  /** Topic name (legal Kafka characters: letters, digits, `.`, `_`, `-`; at most 249). */
  readonly name: string;
  /** Number of partitions (>= 1). */
  readonly partitions: number;
  /** Replication factor (>= 1), or -1 for the broker's `default.replication.factor`. */
  readonly replicationFactor: number;
  /** Topic-level configs such as `cleanup.policy: compact`. */
  readonly configs: Readonly<Record<string, string>>;
}
