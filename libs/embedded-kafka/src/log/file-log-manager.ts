import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrokerConfig } from '../broker/broker-config';
import type { BrokerLogger } from '../broker/broker-services';
import { ErrorCode } from '../protocol/error-codes';
import { compactPartition } from './log-cleaner';
import type { CreateTopicResult, LogManager, TopicInfo } from './log-manager';
import { PartitionLog } from './partition-log';
import { ReadCacheBudget } from './read-cache-budget';
import { TopicConfig, validateTopicConfig } from './topic-config';

const META_DIR = '__meta';
const TOPICS_FILE = 'topics.json';
const MAX_NAME_LENGTH = 249;
const NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

interface StoredTopic {
  name: string;
  topicId: string;
  partitions: number;
  overrides: Record<string, string>;
  internal: boolean;
}

interface TopicState extends TopicInfo {
  partitionCount: number;
  config: TopicConfig;
  overrides: Record<string, string>;
  logs: PartitionLog[];
}

/** Why a topic name is invalid, or undefined when it is fine (Kafka's rules). */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_NAME_LENGTH)
    return `Topic name is illegal, it can't be longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME_PATTERN.test(name))
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  return undefined;
}

/**
 * {@link LogManager} on the local file system: topic metadata in
 * `<dataDir>/__meta/topics.json` (atomic rename), partition logs in
 * `<dataDir>/<topic>-<partition>/`.
 */
export class FileLogManager implements LogManager {
  private readonly topics = new Map<string, TopicState>();
  private timers: NodeJS.Timeout[] = [];
  private cleanerRunning = false;
  /** The broker-wide bound on every partition's read cache together (`readCacheBudgetBytes`). */
  readonly readCacheBudget: ReadCacheBudget;

  private constructor(
    private readonly dataDir: string,
    private readonly config: BrokerConfig,
    private readonly logger: BrokerLogger,
  ) {
    this.readCacheBudget = new ReadCacheBudget(config.readCacheBudgetBytes);
  }

  /** Opens every stored topic, recovering torn segment tails. */
  static open(dataDir: string, config: BrokerConfig, logger: BrokerLogger): FileLogManager {
    fs.mkdirSync(path.join(dataDir, META_DIR), { recursive: true });
    const m = new FileLogManager(dataDir, config, logger);
    const file = path.join(dataDir, META_DIR, TOPICS_FILE);
    if (fs.existsSync(file)) {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredTopic[];
      for (const t of stored) m.openTopic(t);
    }
    return m;
  }

  private openTopic(t: StoredTopic): TopicState {
    const config = TopicConfig.resolve(this.config.topicDefaults, t.overrides);
    const state: TopicState = {
      name: t.name,
      topicId: t.topicId,
      partitionCount: t.partitions,
      config,
      overrides: { ...t.overrides },
      internal: t.internal,
      logs: [],
    };
    for (let p = 0; p < t.partitions; p++) state.logs.push(this.openPartition(t.name, p, config));
    this.topics.set(t.name, state);
    return state;
  }

  private openPartition(topic: string, partition: number, config: TopicConfig): PartitionLog {
    return PartitionLog.open(
      topic,
      partition,
      path.join(this.dataDir, `${topic}-${partition}`),
      config,
      {
        fsyncAlways: this.config.fsync === 'always',
        fsyncOnRoll: this.config.fsync !== 'never',
        cacheBytes: this.config.partitionCacheBytes,
        readCacheBudget: this.readCacheBudget,
      },
      (msg) => this.logger.warn(msg),
    );
  }

  private persist(): void {
    const stored: StoredTopic[] = [...this.topics.values()].map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitionCount,
      overrides: t.overrides,
      internal: t.internal,
    }));
    const file = path.join(this.dataDir, META_DIR, TOPICS_FILE);
    const tmp = `${file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, JSON.stringify(stored, null, 1));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  topic(name: string): TopicInfo | undefined {
    return this.topics.get(name);
  }

  topicById(topicId: string): TopicInfo | undefined {
    for (const t of this.topics.values()) if (t.topicId === topicId) return t;
    return undefined;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.logs[partition];
  }

  createTopic(
    name: string,
    partitions: number,
    overrides: Record<string, string>,
    options: { validateOnly?: boolean; internal?: boolean; replicationFactor?: number } = {},
  ): CreateTopicResult {
    const nameProblem = topicNameProblem(name);
    if (nameProblem) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: nameProblem };
    if (this.topics.has(name))
      return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${name}' already exists.` };
    const count = partitions === -1 ? this.config.numPartitions : partitions;
    if (!Number.isInteger(count) || count < 1 || count > 100000) {
      return {
        errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: `Number of partitions must be larger than 0, got ${partitions}.`,
      };
    }
    const rf = options.replicationFactor ?? -1;
    if (rf !== -1 && rf !== 1) {
      return {
        errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
        errorMessage: `Replication factor: ${rf} larger than available brokers: 1.`,
      };
    }
    for (const [k, v] of Object.entries(overrides)) {
      const problem = validateTopicConfig(k, v);
      if (problem) return { errorCode: problem.errorCode, errorMessage: problem.message };
    }
    if (options.validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null };
    this.openTopic({
      name,
      topicId: randomBytes(16).toString('hex'),
      partitions: count,
      overrides,
      internal: options.internal ?? name.startsWith('__'),
    });
    this.persist();
    this.logger.info(`created topic ${name} with ${count} partition(s)`);
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  getOrAutoCreate(name: string): TopicInfo | undefined {
    const t = this.topics.get(name);
    if (t || !this.config.autoCreateTopics || topicNameProblem(name)) return t;
    this.createTopic(name, this.config.numPartitions, {});
    return this.topics.get(name);
  }

  deleteTopic(name: string): number {
    const t = this.topics.get(name);
    if (!t) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    this.topics.delete(name);
    this.persist();
    for (const log of t.logs) log.destroy();
    this.logger.info(`deleted topic ${name}`);
    return ErrorCode.NONE;
  }

  createPartitions(name: string, count: number, validateOnly: boolean): CreateTopicResult {
    const t = this.topics.get(name);
    if (!t)
      return {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `Topic '${name}' does not exist.`,
      };
    if (!Number.isInteger(count) || count <= t.partitionCount) {
      return {
        errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: `Topic currently has ${t.partitionCount} partitions, which is higher than or equal to the requested ${count}.`,
      };
    }
    if (count > 100000)
      return { errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Too many partitions: ${count}` };
    if (validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null };
    for (let p = t.partitionCount; p < count; p++) t.logs.push(this.openPartition(name, p, t.config));
    t.partitionCount = count;
    this.persist();
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  alterTopicConfig(
    name: string,
    overrides: Record<string, string>,
    validateOnly: boolean,
  ): CreateTopicResult {
    const t = this.topics.get(name);
    if (!t)
      return {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `Topic '${name}' does not exist.`,
      };
    for (const [k, v] of Object.entries(overrides)) {
      const problem = validateTopicConfig(k, v);
      if (problem) return { errorCode: problem.errorCode, errorMessage: problem.message };
    }
    if (validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null };
    t.overrides = { ...overrides };
    t.config = TopicConfig.resolve(this.config.topicDefaults, t.overrides);
    for (const log of t.logs) log.updateConfig(t.config);
    this.persist();
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  }

  /** Starts the cleaner (retention + compaction) and the fsync interval timer. */
  startBackgroundTasks(): void {
    const cleaner = setInterval(() => this.runCleanerOnce(), this.config.logCleanerIntervalMs);
    cleaner.unref();
    this.timers.push(cleaner);
    const fsync = this.config.fsync;
    if (typeof fsync === 'object') {
      const t = setInterval(() => {
        try {
          this.syncAll();
        } catch (err) {
          this.logger.error(`periodic fsync failed: ${(err as Error).message}`);
        }
      }, fsync.intervalMs);
      t.unref();
      this.timers.push(t);
    }
  }

  /**
   * One pass of the background cleaner: retention on delete topics, compaction
   * on compact topics. Returns the number of records compaction removed.
   */
  runCleanerOnce(): number {
    if (this.cleanerRunning) return 0;
    this.cleanerRunning = true;
    let removed = 0;
    try {
      const now = this.config.clock.now();
      for (const t of this.topics.values()) {
        for (const log of t.logs) {
          try {
            log.applyRetention(now);
            if (t.config.compact && log.dirtyBytes > 0) {
              const r = compactPartition(log, t.config, now);
              if (r.segmentsCleaned > 0) log.dirtyBytes = 0;
              removed += r.recordsRemoved;
            }
          } catch (err) {
            this.logger.error(`log cleaner failed on ${t.name}-${log.partition}: ${(err as Error).message}`);
          }
        }
      }
    } finally {
      this.cleanerRunning = false;
    }
    return removed;
  }

  /** fsyncs every partition with unsynced appends. */
  syncAll(): void {
    for (const t of this.topics.values()) for (const log of t.logs) log.syncIfDirty();
  }

  /** Bytes of memory held by the batch indexes of every partition (they grow with the data retained). */
  batchIndexBytes(): number {
    let n = 0;
    for (const t of this.topics.values()) for (const log of t.logs) n += log.batchIndexBytes;
    return n;
  }

  /** Stops timers, syncs (when an fsync policy is set) and closes every log. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.config.fsync !== 'never') this.syncAll();
    for (const t of this.topics.values()) for (const log of t.logs) log.close();
  }
}
