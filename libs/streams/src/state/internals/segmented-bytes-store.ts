import type { ChangelogRecord, StateStoreContext } from '../../processor/state-store';
import { InvalidStateStoreError } from '../errors';
import type { KeyValueIterator } from '../key-value';
import type { BytesTable, BytesWrite } from './bytes-table';
import { LatestTimestampIndex } from './latest-timestamp-index';
import { LmdbSegmentEngine, MemorySegmentEngine, Segments, type SegmentEngine } from './segments';
import { concatIterators } from './store-iterator';

/**
 * Kafka Streams' `AbstractRocksDBSegmentedBytesStore`, engine-neutral: store keys go to the segment of
 * their segment timestamp (window start, or session end); stream time is the largest one seen; writes
 * to expired segments are dropped and expired segments are deleted as stream time advances.
 */
export class SegmentedBytesStore {
  private segments: Segments | undefined;
  /** Largest segment timestamp seen (Kafka Streams' `observedStreamTime`). */
  observedStreamTime = -Infinity;
  /**
   * Latest segment timestamp per record key: answers lookups of absent keys without a read; none
   * when the store above keeps a finer index of its own (a session store's `SessionKeyIndex`).
   */
  private readonly index: LatestTimestampIndex | undefined;

  /**
   * @param segmentTimestamp the segment timestamp of a store key (window start, session end)
   * @param suffixBytes the bytes after the record key in a store key (timestamps, sequence number)
   * @param keyIndex whether to keep the {@link LatestTimestampIndex} (a store that reads only
   *   entries its own index lists gains nothing from it)
   */
  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly segmentIntervalMs: number,
    readonly persistent: boolean,
    private readonly segmentTimestamp: (storeKey: Buffer) => number,
    private readonly suffixBytes: number,
    keyIndex = true,
  ) {
    // Expired keys are forgotten once per segment interval (or quarter retention) of stream time.
    this.index = keyIndex
      ? new LatestTimestampIndex(undefined, Math.max(segmentIntervalMs, retentionMs / 4))
      : undefined;
  }

  open(context: StateStoreContext): void {
    if (this.segments) throw new InvalidStateStoreError(`store ${this.name} is already open`);
    this.index?.reset();
    const engine: SegmentEngine = this.persistent
      ? new LmdbSegmentEngine(context, this.name, this.segmentIntervalMs)
      : new MemorySegmentEngine();
    this.segments = new Segments(this.retentionMs, this.segmentIntervalMs, engine);
    // An in-memory store opens empty: its index is complete from the start (kept by every write and
    // restored record), with no scan of what the first lookup finds written since.
    if (!this.persistent) this.index?.build(() => undefined);
  }

  isOpen(): boolean {
    return this.segments !== undefined;
  }

  /** Earliest timestamp still within retention. */
  minLiveTime(): number {
    return Math.max(0, this.observedStreamTime - this.retentionMs + 1);
  }

  /** Writes `value` (`null` deletes); returns `false` if the record's segment has expired. */
  put(storeKey: Buffer, value: Buffer | null): boolean {
    const s = this.requireSegments();
    const ts = this.segmentTimestamp(storeKey);
    this.observedStreamTime = Math.max(this.observedStreamTime, ts);
    if (ts < this.minLiveTime()) return false;
    const segment = s.getOrCreateIfLive(s.segmentId(ts), this.observedStreamTime);
    if (segment === undefined) return false;
    if (value === null) segment.delete(storeKey);
    else {
      segment.put(storeKey, value);
      const index = this.index;
      if (index !== undefined && index.active) {
        index.note(this.recordKeyOf(storeKey), ts);
        index.prune(this.minLiveTime());
      }
    }
    return true;
  }

  /**
   * What {@link put} does to stream time for a store key of segment timestamp `ts`, without writing
   * anything: true when `put` would have taken it (not expired). For a store whose entries are
   * held elsewhere while its segments are dropped ({@link dropSegments}).
   */
  observe(ts: number): boolean {
    this.requireSegments();
    this.observedStreamTime = Math.max(this.observedStreamTime, ts);
    return ts >= this.minLiveTime();
  }

  /** Drops every segment and its data; stream time stays as it is. */
  dropSegments(): void {
    this.requireSegments().dropAll();
    this.index?.reset();
  }

  get(storeKey: Buffer): Buffer | undefined {
    const s = this.requireSegments();
    const ts = this.segmentTimestamp(storeKey);
    if (ts < this.minLiveTime()) return undefined;
    const segment = s.get(s.segmentId(ts));
    if (segment === undefined) return undefined;
    if (this.index !== undefined && !this.mayHave(this.recordKeyOf(storeKey), ts)) return undefined;
    return segment.get(storeKey);
  }

  /**
   * False only when the store surely has no entry of `recordKey` (the key bytes before the store
   * key's suffix) with a segment timestamp at or after `timestamp`: a lookup can then skip reading
   * it ({@link LatestTimestampIndex}, built at the first call; an in-memory store's at open).
   */
  mayHaveKey(recordKey: Buffer, timestamp: number): boolean {
    return this.mayHave(recordKey.toString('latin1'), timestamp);
  }

  private mayHave(recordKey: string, timestamp: number): boolean {
    const index = this.index;
    if (index === undefined) return true;
    if (!index.active) this.buildIndex(index);
    return index.mayHave(recordKey, timestamp);
  }

  /** The last record key string {@link recordKeyOf} made. */
  private lastRecordKey = '';

  /**
   * The latin1 string of a store key's record key; the same string as the last call's when the bytes
   * are the same (a record's windows are read and written, and flushed, one after the other), so no
   * string is made, and the index's map finds it by the hash it already computed.
   */
  private recordKeyOf(storeKey: Buffer): string {
    const n = storeKey.length - this.suffixBytes;
    const last = this.lastRecordKey;
    if (last.length === n) {
      let i = 0;
      while (i < n && storeKey[i] === last.charCodeAt(i)) i++;
      if (i === n) return last;
    }
    return (this.lastRecordKey = storeKey.toString('latin1', 0, n));
  }

  /** Builds the index from every entry of the live segments (once per open, unless it turned itself off). */
  private buildIndex(index: LatestTimestampIndex): void {
    index.build((visit) =>
      this.forEachInRange(undefined, undefined, 0, Number.MAX_SAFE_INTEGER, false, (storeKey) =>
        visit(this.recordKeyOf(storeKey), this.segmentTimestamp(storeKey)),
      ),
    );
  }

  /**
   * Entries with store keys in `[fromKey, toKey]` in the segments overlapping `[timeFrom, timeTo]`,
   * segment by segment. Callers filter by their own key and time conditions.
   */
  scan(
    fromKey: Buffer | undefined,
    toKey: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<Buffer, Buffer> {
    const s = this.requireSegments();
    const from = Math.max(timeFrom, this.minLiveTime());
    const tables = from > timeTo ? [] : s.inRange(from, timeTo, reverse);
    return concatIterators(
      tables.map((t) => () => t.range(fromKey, toKey, reverse)),
      this.name,
    );
  }

  /**
   * Calls `visit` with the entries {@link scan} would give, in the same order, at once (no iterator
   * per segment); `visit` must not write to the store.
   */
  forEachInRange(
    fromKey: Buffer | undefined,
    toKey: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
    visit: (key: Buffer, value: Buffer) => void,
  ): void {
    const s = this.requireSegments();
    const from = Math.max(timeFrom, this.minLiveTime());
    if (from > timeTo) return;
    for (const t of s.inRange(from, timeTo, reverse)) {
      if (t.forEachInRange !== undefined) {
        t.forEachInRange(fromKey, toKey, reverse, visit);
        continue;
      }
      const it = t.range(fromKey, toKey, reverse);
      try {
        for (const e of it) visit(e.key, e.value);
      } finally {
        it.close();
      }
    }
  }

  /** Restores a changelog batch: one batch write per segment touched, expired records skipped. */
  restore(batch: readonly ChangelogRecord[]): void {
    const s = this.requireSegments();
    const perSegment = new Map<BytesTable, BytesWrite[]>();
    for (const r of batch)
      this.observedStreamTime = Math.max(this.observedStreamTime, this.segmentTimestamp(r.key));
    const minLive = this.minLiveTime();
    for (const r of batch) {
      const ts = this.segmentTimestamp(r.key);
      if (ts < minLive) continue;
      const segment = s.getOrCreateIfLive(s.segmentId(ts), this.observedStreamTime);
      if (segment === undefined) continue;
      let writes = perSegment.get(segment);
      if (writes === undefined) perSegment.set(segment, (writes = []));
      writes.push(r);
      if (r.value !== null && this.index?.active === true) this.index.note(this.recordKeyOf(r.key), ts);
    }
    for (const [segment, writes] of perSegment) segment.writeBatch(writes);
  }

  /** Number of live segments. */
  segmentCount(): number {
    return this.requireSegments().size;
  }

  /** Ids of the live segments. */
  segmentIds(): readonly number[] {
    return this.requireSegments().ids();
  }

  count(): number {
    return this.requireSegments().count();
  }

  flush(): void {
    this.requireSegments().flush();
  }

  /** Commits the segments' write buffers that waited their longest delay (on every task commit). */
  flushCache(): void {
    this.requireSegments().commitDue();
  }

  async close(): Promise<void> {
    const s = this.segments;
    this.segments = undefined;
    this.index?.reset();
    await s?.close();
  }

  private requireSegments(): Segments {
    const s = this.segments;
    if (s === undefined) throw new InvalidStateStoreError(`store ${this.name} is not open`);
    return s;
  }
}
