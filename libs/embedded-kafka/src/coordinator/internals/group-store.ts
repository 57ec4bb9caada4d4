import { type GroupLogRecord, type StoredGroup, applyRecord } from './group-log-record';

/** Where the coordinator keeps committed offsets and group generations. */
export interface GroupStore {
  /** Replays what is stored (called once, before any write). */
  load(): Map<string, StoredGroup>;
  /**
   * Appends records synchronously (to the OS, so they survive the process
   * being killed); throws when the write fails, in which case nothing is
   * acknowledged.
   */
  write(records: readonly GroupLogRecord[]): void;
  /** Resolves once everything written so far is as durable as the fsync policy asks. */
  flush(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}

/** A store that forgets everything on restart (unit tests of the state machine). */
export class MemoryGroupStore implements GroupStore {
  private readonly groups = new Map<string, StoredGroup>();
  /** Number of records written, for tests. */
  written = 0;

  load(): Map<string, StoredGroup> {
    return new Map(this.groups);
  }

  write(records: readonly GroupLogRecord[]): void {
    for (const r of records) applyRecord(this.groups, r);
    this.written += records.length;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
