import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Counter, Gauge, register as defaultRegistry, type Registry } from 'prom-client';
import type {
  ChangelogRecord,
  StateRestoreCallback,
  StateStore,
  StoreRegistration,
  TaskId,
} from '../state-store';
import { ProcessorStateError } from '../../state/errors';
import type { StateRestoreListener, TopicPartition } from '../../state/state-restore-listener';
import { CheckpointFile, type TopicPartitionOffset } from '../../state/internals/checkpoint-file';
import {
  UNSYNCED_STATE_MARKER,
  readUnsyncedStateMarker,
  removeUnsyncedStateMarker,
  writeUnsyncedStateMarker,
} from '../../state/internals/unsynced-state-marker';
import { registeredMetric } from '../../metrics/registered-metric';

/**
 * Changelog records a task's logged stores may get ahead of its checkpoint before a commit writes a
 * new one (Kafka Streams' `StateManagerUtil.OFFSET_DELTA_THRESHOLD_FOR_CHECKPOINT`): below it a commit
 * flushes only the record caches and leaves the stores' write buffers and the checkpoint as they are.
 */
export const CHECKPOINT_OFFSET_DELTA = 10_000;

/** File name of a task's checkpoint, in the task directory (as Kafka Streams). */
export const CHECKPOINT_FILE_NAME = '.checkpoint';

/** Files in a task directory that a wipe keeps. */
const KEEP_ON_WIPE = new Set(['.lock']);

/** Logger the state manager reports to. */
export interface StateManagerLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Options of a {@link ProcessorStateManager}. */
export interface ProcessorStateManagerOptions {
  readonly taskId: TaskId;
  readonly applicationId: string;
  /** The task's state directory, `<stateDir>/<applicationId>/<taskId>`. */
  readonly taskDir: string;
  /** Changelog partition of the task's stores; defaults to the task's input partition. */
  readonly changelogPartition?: number;
  readonly restoreListener?: StateRestoreListener;
  /** Registry for the restore metrics; prom-client's default if omitted. */
  readonly metricsRegistry?: Registry;
  readonly logger?: StateManagerLogger;
  /**
   * `exactly_once_v2`: the checkpoint is deleted once read, so local state is trusted only after a
   * clean close (which writes it again); after a crash the task state is wiped and restored from
   * the changelogs, whose committed records are exactly the committed state.
   */
  readonly exactlyOnce?: boolean;
}

/** A store's changelog partition and where its restoration starts. */
export interface ChangelogToRestore extends TopicPartition {
  readonly storeName: string;
  /** First offset to read; `undefined` means from the beginning of the changelog. */
  readonly startOffset: number | undefined;
  /** Whether the store keeps its data on disk (and so has a checkpoint). */
  readonly persistent: boolean;
  /**
   * The changelog is a source topic of the task (`reuse.ktable.source.topics`): it is restored only
   * up to the task's committed offset of that partition, not to its end (Kafka Streams'
   * `StoreChangelogReader` for `changelogAsSource` partitions).
   */
  readonly asSource: boolean;
}

interface StoreMetadata {
  readonly store: StateStore;
  readonly restore: StateRestoreCallback;
  readonly changelog: TopicPartition | undefined;
  /** The changelog is a source topic of the task (see {@link ChangelogToRestore.asSource}). */
  readonly asSource: boolean;
  /** Offset of the last record applied to the store or written to its changelog. */
  offset: number | undefined;
  endOffset: number | undefined;
  restored: number;
}

const NOOP_LOGGER: StateManagerLogger = { info: () => {}, warn: () => {} };

/**
 * Kafka Streams' `ProcessorStateManager`: owns the stores of one task, their changelog partitions,
 * their restoration and the task's checkpoint file. It reads no Kafka itself: the runtime reads the
 * changelogs and feeds batches to {@link restoreBatch}, so it works (and is tested) without a broker.
 *
 * Life of a task: `initialize()` (reads the checkpoint; wipes the task directory if the checkpoint is
 * missing or unreadable), stores `init` and call `registerStore` (the runtime's `context.register`),
 * `changelogsToRestore()`, per changelog `beginRestore` / `restoreBatch`* / `completeRestore`, then
 * processing with `updateChangelogOffsets` on producer acks, `flushCache()` on every commit and
 * `flush()` + `checkpoint()` when `checkpointNeeded()` (as Kafka Streams), and `close(clean)`.
 */
export class ProcessorStateManager {
  private readonly stores = new Map<string, StoreMetadata>();
  private readonly byPartition = new Map<string, StoreMetadata>();
  private readonly checkpointFile: CheckpointFile;
  private checkpointed = new Map<string, number>();
  /** Changelog offsets as of the last checkpoint written (before one, those read at `initialize()`). */
  private lastCheckpoint: Map<string, number> | undefined;
  private readonly logger: StateManagerLogger;
  private readonly remaining: Gauge<'task_id' | 'store_name'>;
  private readonly restoredTotal: Counter<'task_id' | 'store_name'>;
  private initialized = false;
  /** True if `initialize()` found no usable checkpoint and wiped the task directory. */
  wiped = false;

  constructor(private readonly options: ProcessorStateManagerOptions) {
    this.checkpointFile = new CheckpointFile(join(options.taskDir, CHECKPOINT_FILE_NAME));
    this.logger = options.logger ?? NOOP_LOGGER;
    const registry = options.metricsRegistry ?? defaultRegistry;
    this.remaining = registeredMetric(
      registry,
      'kafka_stream_task_restore_remaining_records',
      () =>
        new Gauge({
          name: 'kafka_stream_task_restore_remaining_records',
          help: 'Changelog records still to restore, per task and store',
          labelNames: ['task_id', 'store_name'],
          registers: [registry],
        }),
    );
    this.restoredTotal = registeredMetric(
      registry,
      'kafka_stream_task_restore_total',
      () =>
        new Counter({
          name: 'kafka_stream_task_restore_total',
          help: 'Changelog records restored, per task and store',
          labelNames: ['task_id', 'store_name'],
          registers: [registry],
        }),
    );
  }

  /** The checkpoint file of this task. */
  get checkpointPath(): string {
    return this.checkpointFile.path;
  }

  /**
   * Reads the checkpoint. A missing or unreadable checkpoint next to existing state means the last run
   * did not end cleanly: the task directory is wiped and every store restores in full. So does an
   * unsynced-state marker from an earlier boot (the machine restarted while the stores held commits
   * not synced to disk, see `unsynced-state-marker.ts`). Then the marker is written for this run.
   */
  async initialize(): Promise<void> {
    const dir = this.options.taskDir;
    await mkdir(dir, { recursive: true });
    const read = await this.checkpointFile.read();
    const marker = await readUnsyncedStateMarker(dir);
    if (read.status === 'ok' && marker !== 'earlier-boot') {
      this.checkpointed = new Map(read.offsets.map((o) => [tpKey(o), o.offset]));
      if (this.options.exactlyOnce) await this.checkpointFile.delete();
    } else {
      // the marker alone is no state (it is rewritten below)
      const entries = (await readdir(dir)).filter((e) => !KEEP_ON_WIPE.has(e) && e !== UNSYNCED_STATE_MARKER);
      if (entries.length > 0) {
        this.logger.warn(
          read.status === 'ok'
            ? 'the machine restarted since the task state was last synced to disk: wiping the task state and restoring in full'
            : read.status === 'missing'
              ? 'no checkpoint found next to local state: wiping the task state and restoring in full'
              : `checkpoint unreadable (${read.reason}): wiping the task state and restoring in full`,
          { taskId: this.options.taskId.toString() },
        );
        for (const e of entries) await rm(join(dir, e), { recursive: true, force: true });
        this.wiped = true;
      }
      this.checkpointed = new Map();
    }
    try {
      await writeUnsyncedStateMarker(dir);
    } catch (cause) {
      throw new ProcessorStateError(
        `task ${this.options.taskId}: writing the state marker in ${dir} failed`,
        {
          cause,
        },
      );
    }
    this.initialized = true;
  }

  /**
   * Registers a store of the task (the runtime's `StateStoreContext.register` calls this).
   * Its changelog partition is the task's; its restore starts after the checkpointed offset
   * for persistent stores, from the beginning for in-memory ones. `asSource`: the changelog is a
   * source topic of the task, whose offsets the task reports (its processed positions).
   */
  registerStore(
    store: StateStore,
    restore: StateRestoreCallback,
    registration?: StoreRegistration,
    asSource = false,
  ): void {
    if (!this.initialized)
      throw new ProcessorStateError(
        `task ${this.options.taskId}: initialize() the state manager before registering stores`,
      );
    if (this.stores.has(store.name))
      throw new ProcessorStateError(`task ${this.options.taskId}: store ${store.name} is registered twice`);
    const changelog =
      registration?.changelogTopic === undefined
        ? undefined
        : {
            topic: registration.changelogTopic,
            partition: this.options.changelogPartition ?? this.options.taskId.partition,
          };
    const offset =
      changelog !== undefined && store.persistent ? this.checkpointed.get(tpKey(changelog)) : undefined;
    const meta: StoreMetadata = {
      store,
      restore,
      changelog,
      asSource: asSource && changelog !== undefined,
      offset,
      endOffset: undefined,
      restored: 0,
    };
    this.stores.set(store.name, meta);
    if (changelog !== undefined) this.byPartition.set(tpKey(changelog), meta);
  }

  /** The registered store called `name`, or `undefined`. */
  getStore(name: string): StateStore | undefined {
    return this.stores.get(name)?.store;
  }

  /** Every registered store, in registration order. */
  allStores(): StateStore[] {
    return [...this.stores.values()].map((m) => m.store);
  }

  /** Changelog partitions of the logged stores (`asSource`: a source topic of the task). */
  changelogPartitions(): Array<TopicPartition & { readonly asSource: boolean }> {
    return [...this.byPartition.values()].map((m) => ({
      ...(m.changelog as TopicPartition),
      asSource: m.asSource,
    }));
  }

  /** The logged stores with where their restoration starts. */
  changelogsToRestore(): ChangelogToRestore[] {
    return [...this.byPartition.values()].map((m) => ({
      ...(m.changelog as TopicPartition),
      storeName: m.store.name,
      persistent: m.store.persistent,
      asSource: m.asSource,
      startOffset: m.offset === undefined ? undefined : m.offset + 1,
    }));
  }

  /** Starts restoring a changelog; `endOffset` is its end (exclusive, the high watermark) now. */
  beginRestore(topic: string, partition: number, endOffset: number): void {
    const meta = this.metadata(topic, partition);
    meta.endOffset = endOffset;
    meta.restored = 0;
    const start = meta.offset === undefined ? 0 : meta.offset + 1;
    this.remaining.labels(this.labels(meta)).set(Math.max(0, endOffset - start));
    this.options.restoreListener?.onRestoreStart?.({ topic, partition }, meta.store.name, start, endOffset);
  }

  /** Applies a batch of changelog records to its store (through the store's restore callback). */
  async restoreBatch(topic: string, partition: number, records: readonly ChangelogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const meta = this.metadata(topic, partition);
    try {
      await meta.restore(records);
    } catch (cause) {
      throw new ProcessorStateError(
        `task ${this.options.taskId}: restoring store ${meta.store.name} from ${topic}-${partition} failed`,
        { cause },
      );
    }
    const last = records[records.length - 1].offset;
    meta.offset = last;
    meta.restored += records.length;
    const labels = this.labels(meta);
    this.restoredTotal.labels(labels).inc(records.length);
    if (meta.endOffset !== undefined)
      this.remaining.labels(labels).set(Math.max(0, meta.endOffset - last - 1));
    this.options.restoreListener?.onBatchRestored?.(
      { topic, partition },
      meta.store.name,
      last,
      records.length,
    );
  }

  /** Ends the restoration of a changelog. */
  completeRestore(topic: string, partition: number): void {
    const meta = this.metadata(topic, partition);
    this.remaining.labels(this.labels(meta)).set(0);
    this.options.restoreListener?.onRestoreEnd?.({ topic, partition }, meta.store.name, meta.restored);
  }

  /** Records restored into a store during the current/last restoration. */
  restoredCount(storeName: string): number {
    return this.stores.get(storeName)?.restored ?? 0;
  }

  /** Records the offsets of changelog writes the producer has acknowledged (last offset per partition). */
  updateChangelogOffsets(written: Iterable<TopicPartitionOffset>): void {
    for (const o of written) {
      const meta = this.byPartition.get(tpKey(o));
      if (meta !== undefined && (meta.offset === undefined || o.offset > meta.offset)) meta.offset = o.offset;
    }
  }

  /** Flushes every store (caches to changelogs, write buffers to disk), in registration order. */
  async flush(): Promise<void> {
    await this.flushEach((store) => store.flush());
  }

  /**
   * Kafka Streams' `ProcessorStateManager.flushCache`, on every commit: the record caches send their
   * dirty entries downstream and to the changelogs; the stores' own write buffers stay (`flush()` makes
   * them durable when a checkpoint is written). A store without `flushCache` is flushed in full.
   */
  async flushCache(): Promise<void> {
    await this.flushEach((store) => (store.flushCache ? store.flushCache() : store.flush()));
  }

  /**
   * Kafka Streams' `StateManagerUtil.checkpointNeeded`: true when the logged stores' changelog offsets
   * moved more than {@link CHECKPOINT_OFFSET_DELTA} records past the last checkpoint in total.
   */
  checkpointNeeded(): boolean {
    const base = this.lastCheckpoint ?? this.checkpointed;
    let delta = 0;
    for (const [key, m] of this.byPartition) {
      if (m.offset !== undefined) delta += m.offset - (base.get(key) ?? -1);
    }
    return delta > CHECKPOINT_OFFSET_DELTA;
  }

  private async flushEach(flush: (store: StateStore) => void | Promise<void>): Promise<void> {
    const errors: Array<{ store: string; error: unknown }> = [];
    for (const m of this.stores.values()) {
      try {
        await flush(m.store);
      } catch (error) {
        errors.push({ store: m.store.name, error });
      }
    }
    if (errors.length > 0) {
      // The first failure's message is part of this one, so the line that reports the dead thread
      // names the cause (e.g. the LMDB directory and "No space left on device").
      const { store, error } = errors[0]!;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProcessorStateError(
        `task ${this.options.taskId}: flushing state store ${store} failed${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}: ${reason}`,
        { cause: error },
      );
    }
  }

  /**
   * Writes the checkpoint: the changelog offsets of the persistent logged stores. Call after `flush()`
   * on commit (with the producer's acknowledged offsets, if not reported through `updateChangelogOffsets`).
   */
  async checkpoint(written: Iterable<TopicPartitionOffset> = []): Promise<void> {
    this.updateChangelogOffsets(written);
    const offsets: TopicPartitionOffset[] = [];
    for (const m of this.byPartition.values()) {
      if (m.store.persistent && m.offset !== undefined)
        offsets.push({ ...(m.changelog as TopicPartition), offset: m.offset });
    }
    try {
      await this.checkpointFile.write(offsets);
      this.lastCheckpoint = new Map(
        [...this.byPartition].flatMap(([key, m]) => (m.offset === undefined ? [] : [[key, m.offset]])),
      );
    } catch (cause) {
      throw new ProcessorStateError(
        `task ${this.options.taskId}: writing checkpoint ${this.checkpointFile.path} failed`,
        { cause, retriable: true },
      );
    }
  }

  /** The offsets the checkpoint would hold now (for tests and diagnostics). */
  currentOffsets(): TopicPartitionOffset[] {
    return [...this.byPartition.values()]
      .filter((m) => m.offset !== undefined)
      .map((m) => ({ ...(m.changelog as TopicPartition), offset: m.offset as number }));
  }

  /**
   * Closes the task's stores. A clean close flushes and checkpoints first, and then removes the
   * unsynced-state marker (everything is on disk); a dirty one (after an error) only closes, so the
   * next start restores from the last good checkpoint.
   */
  async close(clean: boolean): Promise<void> {
    let firstError: unknown;
    if (clean) {
      try {
        await this.flush();
        await this.checkpoint();
      } catch (e) {
        firstError = e;
      }
    }
    for (const m of this.stores.values()) {
      try {
        await m.store.close();
      } catch (e) {
        firstError ??= e;
      }
    }
    if (clean && firstError === undefined) {
      try {
        await removeUnsyncedStateMarker(this.options.taskDir);
      } catch (e) {
        firstError = e;
      }
    }
    for (const m of this.byPartition.values()) this.remaining.remove(this.labels(m));
    this.stores.clear();
    this.byPartition.clear();
    if (firstError !== undefined) {
      throw firstError instanceof ProcessorStateError
        ? firstError
        : new ProcessorStateError(`task ${this.options.taskId}: closing state stores failed`, {
            cause: firstError,
          });
    }
  }

  private metadata(topic: string, partition: number): StoreMetadata {
    const meta = this.byPartition.get(tpKey({ topic, partition }));
    if (meta === undefined)
      throw new ProcessorStateError(
        `task ${this.options.taskId}: no store is logged to ${topic}-${partition}`,
      );
    return meta;
  }

  private labels(meta: StoreMetadata): { task_id: string; store_name: string } {
    return { task_id: this.options.taskId.toString(), store_name: meta.store.name };
  }
}

function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
