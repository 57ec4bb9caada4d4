/**
 * The contract between state stores (`src/state`) and the runtime that owns them
 * (`src/processor/internals`). Mirrors Kafka Streams' `StateStore` and `StateStoreContext`.
 *
 * Store operations are synchronous, as in Kafka Streams: a processor reads and writes its
 * stores inside `process()` without awaiting. Opening, flushing and closing may be async.
 */
import type { Headers } from '../serialization/serde';

/** Identifies a task: one sub-topology applied to one input partition (Kafka Streams' `0_1`). */
export interface TaskId {
  readonly subtopology: number;
  readonly partition: number;
  /** `<subtopology>_<partition>`, as Kafka Streams prints it and names task directories. */
  toString(): string;
}

/** One record read back from a changelog topic during restoration. */
export interface ChangelogRecord {
  readonly key: Buffer;
  /** `null` is a tombstone: the key was deleted. */
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly offset: number;
}

/** Applies a batch of changelog records to a store's innermost (bytes) layer. */
export type StateRestoreCallback = (batch: readonly ChangelogRecord[]) => void | Promise<void>;

/** Options a store gives when it registers with its task. */
export interface StoreRegistration {
  /** The changelog topic to restore from; absent when logging is disabled. */
  readonly changelogTopic?: string;
}

/** What the runtime gives a store when the store is opened for a task. */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: TaskId;
  /** Directory for this task's persistent stores: `<stateDir>/<applicationId>/<taskId>`. */
  readonly stateDir: string;
  /**
   * Bytes the record caches sharing one {@link RecordCache} may use in total: the stream thread's share
   * of `cacheMaxBytesBuffering` (Kafka Streams' `ThreadCache`).
   */
  readonly cacheMaxBytes: number;
  /**
   * The owner of the record cache this task's caching stores share (the stream thread, so all its
   * tasks share one `cacheMaxBytes` as in Kafka Streams); without one, the task has its own cache.
   */
  readonly recordCacheOwner?: object;
  /**
   * Registers a store with its task, so that the runtime restores it from its changelog
   * before the task processes any record, and checkpoints its changelog offset on commit.
   */
  register(store: StateStore, restore: StateRestoreCallback, registration?: StoreRegistration): void;
  /** Sends one change of a logged store to its changelog topic (same partition as the task). */
  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number): void;
  /** Timestamp of the record being processed, or of the punctuation running; used for changelog records. */
  currentTimestamp(): number;
  /**
   * Headers of the record the processor writing to the store is processing (as forwarded to it), or
   * `undefined` in a punctuation or outside processing. A caching store keeps them with the write and
   * forwards them when the entry leaves the cache (Kafka Streams' record context of a cache entry).
   * Optional: a context without it gives cached updates no headers.
   */
  currentHeaders?(): Headers | undefined;
}

/** A storage engine attached to a task. */
export interface StateStore {
  /** Unique within a topology; also names the changelog topic `<applicationId>-<name>-changelog`. */
  readonly name: string;
  /** True when the store keeps its data on disk (it then gets a checkpoint file). */
  readonly persistent: boolean;
  /** Opens the store for a task. `root` is the outermost layer, the one processors see. */
  init(context: StateStoreContext, root: StateStore): void | Promise<void>;
  /** Makes every buffered write durable locally and sends cached changes downstream/to the changelog. */
  flush(): void | Promise<void>;
  /**
   * Sends cached changes downstream and to the changelog only, leaving other buffered writes (Kafka
   * Streams' `CachedStateStore.flushCache`). The runtime calls it on every commit and `flush()` only
   * when it writes a checkpoint; a store without it is flushed in full on every commit.
   */
  flushCache?(): void | Promise<void>;
  close(): void | Promise<void>;
  isOpen(): boolean;
}
