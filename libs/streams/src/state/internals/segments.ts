import { join } from 'node:path';
import type { Database, RootDatabase } from 'lmdb';
import type { StateStoreContext } from '../../processor/state-store';
import type { BytesTable } from './bytes-table';
import { markLmdbUnsynced, syncLmdbEnvironment } from './lmdb-environment';
import { LMDB_DIR, openLmdbEnvironment } from './lmdb-key-value-store';
import { LmdbTable, commitLmdbTables } from './lmdb-table';
import { MemoryTable } from './memory-table';

/** Kafka Streams' default segment interval for a retention period: `max(retention / 2, 60 s)`. */
export function defaultSegmentInterval(retentionMs: number): number {
  return Math.max(Math.floor(retentionMs / 2), 60_000);
}

/** Creates, finds and drops the tables of a segmented store. */
export interface SegmentEngine {
  /** Opens (creating if needed) the table of a segment. */
  open(segmentId: number): BytesTable;
  /** Segment ids that exist already (from an earlier run, for disk engines). */
  existing(): number[];
  /** Deletes a segment's data. */
  drop(segmentId: number, table: BytesTable): void;
  /** Flushes the tables of the live segments (one write transaction for all of them where the engine can). */
  flushAll(tables: Iterable<BytesTable>): void;
  close(): void | Promise<void>;
}

/** In-memory segments: one sorted map per segment, its small values packed (see {@link MemoryTable}). */
export class MemorySegmentEngine implements SegmentEngine {
  open(_segmentId: number): BytesTable {
    return new MemoryTable(true);
  }
  existing(): number[] {
    return [];
  }
  drop(_segmentId: number, table: BytesTable): void {
    table.destroy();
  }
  flushAll(tables: Iterable<BytesTable>): void {
    for (const t of tables) t.flush();
  }
  close(): void {}
}

const SEGMENT_INDEX_DB = '__segments';

/**
 * LMDB segments: one environment per store under `<stateDir>/lmdb/<storeName>`, one named database per
 * segment (`<storeName>.<segmentStartMs>`, as Kafka Streams names its segment directories); expiring a
 * segment drops its database. A small index database lists the live segments for reopening.
 */
export class LmdbSegmentEngine implements SegmentEngine {
  private readonly env: RootDatabase;
  private readonly index: Database<Buffer, Buffer>;

  constructor(
    context: StateStoreContext,
    private readonly storeName: string,
    private readonly segmentIntervalMs: number,
  ) {
    this.env = openLmdbEnvironment(join(context.stateDir, LMDB_DIR, storeName), storeName, 4096);
    this.index = this.env.openDB({
      name: SEGMENT_INDEX_DB,
      keyEncoding: 'binary',
      encoding: 'binary',
    }) as Database<Buffer, Buffer>;
  }

  open(segmentId: number): BytesTable {
    const name = `${this.storeName}.${segmentId * this.segmentIntervalMs}`;
    const db = this.env.openDB({ name, keyEncoding: 'binary', encoding: 'binary' }) as Database<
      Buffer,
      Buffer
    >;
    const id = idKey(segmentId);
    if (this.index.getBinary(id) === undefined) {
      this.index.putSync(id, Buffer.alloc(0));
      markLmdbUnsynced(this.env);
    }
    return new LmdbTable(this.env, db);
  }

  existing(): number[] {
    const ids: number[] = [];
    for (const key of this.index.getKeys() as Iterable<Buffer>)
      ids.push(key.readUInt32BE(0) * 2 ** 32 + key.readUInt32BE(4));
    return ids;
  }

  drop(segmentId: number, table: BytesTable): void {
    table.destroy();
    this.index.removeSync(idKey(segmentId));
    markLmdbUnsynced(this.env);
  }

  /**
   * Commits every segment's write buffer in one LMDB write transaction of the store's environment,
   * then syncs the environment to disk: one durable commit per store flush, not one per segment.
   */
  flushAll(tables: Iterable<BytesTable>): void {
    const dirty: LmdbTable[] = [];
    for (const t of tables) if ((t as LmdbTable).hasPendingWrites()) dirty.push(t as LmdbTable);
    commitLmdbTables(this.env, dirty);
    syncLmdbEnvironment(this.env);
  }

  async close(): Promise<void> {
    await this.env.close();
  }
}

function idKey(segmentId: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(Math.floor(segmentId / 2 ** 32), 0);
  b.writeUInt32BE(segmentId % 2 ** 32, 4);
  return b;
}

/**
 * The live segments of a window or session store (Kafka Streams' `Segments`): segment `i` holds records
 * whose segment timestamp falls in `[i * interval, (i + 1) * interval)`. A segment is live while it may
 * hold a record within `retention` of stream time; older segments are dropped as stream time advances.
 */
export class Segments {
  private readonly live = new Map<number, BytesTable>();
  private sortedIds: number[] = [];

  constructor(
    readonly retentionMs: number,
    readonly segmentIntervalMs: number,
    private readonly engine: SegmentEngine,
  ) {
    for (const id of engine.existing()) this.live.set(id, engine.open(id));
    this.sortIds();
  }

  segmentId(timestamp: number): number {
    return Math.floor(timestamp / this.segmentIntervalMs);
  }

  /** The segment for `segmentId`, created if needed, or `undefined` if it has expired at `streamTime`. */
  getOrCreateIfLive(segmentId: number, streamTime: number): BytesTable | undefined {
    const minLive = this.segmentId(Math.max(0, streamTime - this.retentionMs));
    if (segmentId < minLive) return undefined;
    let table = this.live.get(segmentId);
    if (table === undefined) {
      table = this.engine.open(segmentId);
      this.live.set(segmentId, table);
      this.sortIds();
    }
    this.cleanupEarlierThan(minLive);
    return table;
  }

  get(segmentId: number): BytesTable | undefined {
    return this.live.get(segmentId);
  }

  /** Live segments whose time range overlaps `[timeFrom, timeTo]`, oldest first (newest first if `reverse`). */
  inRange(timeFrom: number, timeTo: number, reverse: boolean): BytesTable[] {
    const low = this.segmentId(timeFrom);
    const high = this.segmentId(timeTo);
    const ids = this.sortedIds.filter((id) => id >= low && id <= high);
    if (reverse) ids.reverse();
    return ids.map((id) => this.live.get(id) as BytesTable);
  }

  /** Number of live segments. */
  get size(): number {
    return this.live.size;
  }

  /** Ids of the live segments, ascending. */
  ids(): readonly number[] {
    return this.sortedIds;
  }

  count(): number {
    let n = 0;
    for (const t of this.live.values()) n += t.count();
    return n;
  }

  flush(): void {
    this.engine.flushAll(this.live.values());
  }

  /** Commits the write buffers of the live segments whose oldest write waited its longest delay. */
  commitDue(): void {
    for (const t of this.live.values()) t.commitIfDue?.();
  }

  async close(): Promise<void> {
    for (const t of this.live.values()) t.close();
    this.live.clear();
    this.sortedIds = [];
    await this.engine.close();
  }

  /** Drops every live segment and its data (the store's stream time is the caller's to keep). */
  dropAll(): void {
    for (const [id, t] of this.live) this.engine.drop(id, t);
    this.live.clear();
    this.sortedIds = [];
  }

  private cleanupEarlierThan(minLive: number): void {
    if (this.sortedIds.length === 0 || this.sortedIds[0] >= minLive) return;
    for (const id of this.sortedIds) {
      if (id >= minLive) break;
      const t = this.live.get(id) as BytesTable;
      this.live.delete(id);
      this.engine.drop(id, t);
    }
    this.sortIds();
  }

  private sortIds(): void {
    this.sortedIds = [...this.live.keys()].sort((a, b) => a - b);
  }
}
