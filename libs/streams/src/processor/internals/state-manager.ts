import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamsError } from '../../errors/streams-error';
import { Logger } from '../../logger';
import { StateRestoreCallback, StateStore, StoreRegistration, TaskId } from '../state-store';

/**
 * Reads a changelog partition from `fromOffset` (or the beginning) to its end, handing batches
 * to `restore`. Resolves with the next offset to read. The runtime implements it over the Kafka
 * client seam; the test driver has none (stores start empty).
 */
export interface ChangelogRestorer {
  restore(topic: string, partition: number, fromOffset: number | undefined, restore: StateRestoreCallback): Promise<number>;
}

interface Registered {
  readonly store: StateStore;
  readonly restore: StateRestoreCallback;
  readonly changelogTopic?: string;
}

/**
 * Owns a task's stores (Kafka Streams' `ProcessorStateManager`): registration, restoration from
 * changelogs before processing, flush, checkpoint file `<taskDir>/.checkpoint` on commit and close.
 */
export class ProcessorStateManager {
  private readonly registered = new Map<string, Registered>();
  private checkpointed = new Map<string, number>();

  constructor(
    readonly taskId: TaskId,
    readonly taskDir: string,
    private readonly logger: Logger,
  ) {}

  register(store: StateStore, restore: StateRestoreCallback, registration: StoreRegistration | undefined, defaultChangelog: string | undefined): void {
    if (this.registered.has(store.name)) throw new StreamsError(`Store "${store.name}" is already registered in task ${this.taskId}`);
    this.registered.set(store.name, { store, restore, changelogTopic: registration?.changelogTopic ?? defaultChangelog });
  }

  get stores(): StateStore[] {
    return [...this.registered.values()].map((r) => r.store);
  }

  private get checkpointFile(): string {
    return path.join(this.taskDir, '.checkpoint');
  }

  /** Reads the checkpoint; a missing or unreadable one means "restore in full". */
  private readCheckpoint(): Map<string, number> {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.checkpointFile, 'utf8')) as Record<string, number>;
      return new Map(Object.entries(parsed).filter(([, v]) => Number.isInteger(v)));
    } catch {
      return new Map();
    }
  }

  /** Restores every logged store from its changelog; persistent ones from their checkpoint on. */
  async restore(restorer: ChangelogRestorer | undefined): Promise<void> {
    if (!restorer) return;
    const checkpoint = this.readCheckpoint();
    // A crash leaves the checkpoint absent: it is deleted while the task runs and rewritten on commit.
    if (fs.existsSync(this.checkpointFile)) fs.rmSync(this.checkpointFile, { force: true });
    for (const r of this.registered.values()) {
      if (!r.changelogTopic) continue;
      const key = `${r.changelogTopic}-${this.taskId.partition}`;
      const from = r.store.persistent ? checkpoint.get(key) : undefined;
      const started = Date.now();
      const next = await restorer.restore(r.changelogTopic, this.taskId.partition, from, r.restore);
      this.checkpointed.set(key, next);
      this.logger.info('Restored state store', { taskId: String(this.taskId), store: r.store.name, fromOffset: from ?? 0, toOffset: next, ms: Date.now() - started });
    }
  }

  async flush(): Promise<void> {
    for (const r of this.registered.values()) await r.store.flush();
  }

  /** Writes `{ "<changelog>-<partition>": nextOffset }` for persistent stores. */
  checkpoint(ackedNextOffset: (topic: string, partition: number) => number | undefined): void {
    let any = false;
    for (const r of this.registered.values()) {
      if (!r.changelogTopic) continue;
      const next = ackedNextOffset(r.changelogTopic, this.taskId.partition);
      if (next !== undefined) this.checkpointed.set(`${r.changelogTopic}-${this.taskId.partition}`, next);
      if (r.store.persistent) any = true;
    }
    if (!any || this.checkpointed.size === 0) return;
    fs.mkdirSync(this.taskDir, { recursive: true });
    const tmp = `${this.checkpointFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.checkpointed)));
    fs.renameSync(tmp, this.checkpointFile);
  }

  async close(): Promise<void> {
    for (const r of this.registered.values()) {
      try {
        if (r.store.isOpen()) await r.store.close();
      } catch (error) {
        this.logger.warn('Closing a state store failed', { taskId: String(this.taskId), store: r.store.name, error });
      }
    }
  }
}
