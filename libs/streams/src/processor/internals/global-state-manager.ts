import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcessorStateError } from '../../state/errors';
import { CheckpointFile, type TopicPartitionOffset } from '../../state/internals/checkpoint-file';
import type { StateRestoreListener, TopicPartition } from '../../state/state-restore-listener';
import {
  UNSYNCED_STATE_MARKER,
  readUnsyncedStateMarker,
  removeUnsyncedStateMarker,
  writeUnsyncedStateMarker,
} from '../../state/internals/unsynced-state-marker';
import type { StateStore } from '../state-store';
import { CHECKPOINT_FILE_NAME, type StateManagerLogger } from './processor-state-manager';

/** Name of the global stores' directory under `<stateDir>/<applicationId>` (as Kafka Streams). */
export const GLOBAL_STATE_DIR = 'global';

/**
 * Kafka Streams' `GlobalStateManagerImpl`: owns the global stores of an instance in
 * `<stateDir>/<applicationId>/global`, and their checkpoint there. A global store's changelog is
 * its source topic, all partitions of it; the checkpoint holds, per partition, the next offset to
 * read (the consumer position, as Kafka Streams writes it), only for topics of persistent stores
 * (an in-memory store restarts empty and reads its topic from the beginning). A missing or
 * unreadable checkpoint next to existing state wipes the directory.
 */
export class GlobalStateManager {
  private readonly checkpointFile: CheckpointFile;
  private checkpointed = new Map<string, number>();
  private readonly stores: StateStore[] = [];
  private readonly storeOfTopic = new Map<string, StateStore>();

  constructor(
    readonly dir: string,
    private readonly logger: StateManagerLogger,
    private readonly restoreListener?: StateRestoreListener,
  ) {
    this.checkpointFile = new CheckpointFile(join(dir, CHECKPOINT_FILE_NAME));
  }

  /**
   * Reads the checkpoint (wiping the directory when it is missing or unreadable next to state, or when
   * an unsynced-state marker of an earlier boot says the disk may not hold what it covers), then writes
   * the marker for this run (see `unsynced-state-marker.ts`).
   */
  async initialize(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const read = await this.checkpointFile.read();
    const marker = await readUnsyncedStateMarker(this.dir);
    if (read.status === 'ok' && marker !== 'earlier-boot') {
      this.checkpointed = new Map(read.offsets.map((o) => [tpKey(o), o.offset]));
    } else {
      // the marker alone is no state (it is rewritten below)
      const entries = (await readdir(this.dir)).filter((e) => e !== '.lock' && e !== UNSYNCED_STATE_MARKER);
      if (entries.length > 0) {
        this.logger.warn(
          read.status === 'ok'
            ? 'the machine restarted since the global state was last synced to disk: wiping it and reading the global topics in full'
            : read.status === 'missing'
              ? 'no checkpoint found next to the global state: wiping it and reading the global topics in full'
              : `global checkpoint unreadable (${read.reason}): wiping the global state and reading the global topics in full`,
          { dir: this.dir },
        );
        for (const e of entries) await rm(join(this.dir, e), { recursive: true, force: true });
      }
    }
    try {
      await writeUnsyncedStateMarker(this.dir);
    } catch (cause) {
      throw new ProcessorStateError(`writing the global state marker in ${this.dir} failed`, { cause });
    }
  }

  /** Registers an opened global store and the topic it is built from. */
  registerStore(store: StateStore, topic: string): void {
    if (this.stores.some((s) => s.name === store.name))
      throw new ProcessorStateError(`global store ${store.name} is registered twice`);
    this.stores.push(store);
    this.storeOfTopic.set(topic, store);
  }

  /** Next offset to read of a partition per the checkpoint, when its store is persistent. */
  checkpointedOffset(topic: string, partition: number): number | undefined {
    if (!this.storeOfTopic.get(topic)?.persistent) return undefined;
    return this.checkpointed.get(tpKey({ topic, partition }));
  }

  /** The store built from `topic`. */
  storeFor(topic: string): StateStore | undefined {
    return this.storeOfTopic.get(topic);
  }

  getStore(name: string): StateStore | undefined {
    return this.stores.find((s) => s.name === name);
  }

  allStores(): readonly StateStore[] {
    return this.stores;
  }

  onRestoreStart(tp: TopicPartition, start: number, end: number): void {
    this.call(() => this.restoreListener?.onRestoreStart?.(tp, this.nameOf(tp), start, end));
  }

  onBatchRestored(tp: TopicPartition, batchEndOffset: number, count: number): void {
    this.call(() => this.restoreListener?.onBatchRestored?.(tp, this.nameOf(tp), batchEndOffset, count));
  }

  onRestoreEnd(tp: TopicPartition, total: number): void {
    this.call(() => this.restoreListener?.onRestoreEnd?.(tp, this.nameOf(tp), total));
  }

  /** Flushes every global store. */
  async flush(): Promise<void> {
    for (const s of this.stores) await s.flush();
  }

  /** Writes the positions (next offsets to read) of the persistent stores' topics. */
  async checkpoint(positions: Iterable<TopicPartitionOffset>): Promise<void> {
    const offsets = [...positions].filter((p) => this.storeOfTopic.get(p.topic)?.persistent);
    for (const o of offsets) this.checkpointed.set(tpKey(o), o.offset);
    try {
      await this.checkpointFile.write(offsets);
    } catch (cause) {
      throw new ProcessorStateError(`writing the global checkpoint ${this.checkpointFile.path} failed`, {
        cause,
        retriable: true,
      });
    }
  }

  /**
   * Closes the stores; a clean close flushes and checkpoints `positions` first and then removes the
   * unsynced-state marker (everything is on disk).
   */
  async close(positions: Iterable<TopicPartitionOffset> | undefined): Promise<void> {
    let first: unknown;
    if (positions !== undefined) {
      try {
        await this.flush();
        await this.checkpoint(positions);
      } catch (e) {
        first = e;
      }
    }
    for (const s of this.stores) {
      try {
        await s.close();
      } catch (e) {
        first ??= e;
      }
    }
    if (positions !== undefined && first === undefined) {
      try {
        await removeUnsyncedStateMarker(this.dir);
      } catch (e) {
        first = e;
      }
    }
    this.stores.length = 0;
    if (first !== undefined) throw first;
  }

  private nameOf(tp: TopicPartition): string {
    return this.storeOfTopic.get(tp.topic)?.name ?? '';
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.warn('Global state restore listener threw; ignored', { error });
    }
  }
}

function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
