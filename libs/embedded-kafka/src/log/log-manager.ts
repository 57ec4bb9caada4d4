import type { TopicConfig } from './topic-config';
import type { PartitionLog } from './partition-log';

/** A topic as the broker knows it. */
export interface TopicInfo {
  readonly name: string;
  /** Random UUID (16 bytes, hex) assigned at creation. */
  readonly topicId: string;
  readonly partitionCount: number;
  /** Effective config (topic overrides on top of broker defaults). */
  readonly config: TopicConfig;
  /** Only the overrides set on this topic (for DescribeConfigs' isDefault). */
  readonly overrides: Readonly<Record<string, string>>;
  /** True for broker-internal topics such as `__consumer_offsets`. */
  readonly internal: boolean;
}

/** Result of creating a topic. */
export interface CreateTopicResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/**
 * Topics, partitions and their on-disk logs. Reached by handlers and extensions
 * through `context.services.logs`.
 */
export interface LogManager {
  /** Names of all topics, sorted. */
  topicNames(): string[];
  /** A topic, or undefined if unknown. */
  topic(name: string): TopicInfo | undefined;
  /** A topic by its id (32 hex digits), or undefined if unknown (Metadata v10+, Fetch v13+). */
  topicById(topicId: string): TopicInfo | undefined;
  /** A partition's log, or undefined if the topic or partition is unknown. */
  partition(topic: string, partition: number): PartitionLog | undefined;
  /**
   * Creates a topic (validateOnly: only checks). Error codes: TOPIC_ALREADY_EXISTS,
   * INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG.
   */
  createTopic(
    name: string,
    partitions: number,
    overrides: Record<string, string>,
    options?: { validateOnly?: boolean; internal?: boolean; replicationFactor?: number },
  ): CreateTopicResult;
  /** Returns the topic when it exists, creating it if auto-creation is on. */
  getOrAutoCreate(name: string): TopicInfo | undefined;
  /** Deletes a topic and its data; returns an error code (0 = done). */
  deleteTopic(name: string): number;
  /** Grows a topic to `count` partitions; returns an error code and message. */
  createPartitions(name: string, count: number, validateOnly: boolean): CreateTopicResult;
  /** Replaces a topic's overrides (AlterConfigs semantics); returns an error code and message. */
  alterTopicConfig(name: string, overrides: Record<string, string>, validateOnly: boolean): CreateTopicResult;
}
