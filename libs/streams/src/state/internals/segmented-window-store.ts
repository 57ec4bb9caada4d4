import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStoreConfigError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { Window, Windowed } from '../window';
import { SegmentedBytesStore } from './segmented-bytes-store';
import { emptyIterator, filterIterator, mapIterator } from './store-iterator';
import { WindowEntriesIndex } from './window-entries-index';
import { MAX_TIMESTAMP, requireTimestamp, WINDOW_SUFFIX_BYTES, WindowKeySchema } from './window-key-schema';

/**
 * The bytes window store at the bottom of a layered window store (Kafka Streams' `RocksDBWindowStore`
 * and `InMemoryWindowStore`): store keys in {@link WindowKeySchema} layout in time segments.
 */
export class SegmentedWindowBytesStore implements StateStore {
  private readonly segmented: SegmentedBytesStore;
  private seqnum = 0;
  /** An in-memory store's entries by record key, for {@link windowsOf} (a persistent one has none). */
  private readonly entries: WindowEntriesIndex | undefined;
  /**
   * True while the live entries are held only by {@link entries} and the segments are dropped (an
   * in-memory store that retains duplicates, once its index is built): see {@link indexOnly}.
   */
  private segmentsDropped = false;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates: boolean,
    readonly segmentIntervalMs: number,
    readonly persistent: boolean,
  ) {
    validateWindowStore(name, retentionMs, windowSizeMs);
    this.segmented = new SegmentedBytesStore(
      name,
      retentionMs,
      segmentIntervalMs,
      persistent,
      WindowKeySchema.extractTimestamp,
      WINDOW_SUFFIX_BYTES,
    );
    this.entries = persistent
      ? undefined
      : new WindowEntriesIndex(Math.max(segmentIntervalMs, Math.floor(retentionMs / 4), 1));
  }

  /** Label for metrics. */
  get storeType(): string {
    return this.persistent ? 'lmdb-window' : 'in-memory-window';
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.entries?.reset();
    this.segmentsDropped = false;
    this.segmented.open(context);
    context.register(root, (batch) => {
      // Restored records go to the segments directly: the index is built again at its next use.
      this.restoreSegments();
      this.entries?.reset();
      this.segmented.restore(batch);
    });
  }

  /**
   * A stream-stream join's window store (in memory, retaining duplicates) is read by key
   * ({@link windowsOf}) and written with a new sequence number every time, never overwritten: once
   * its index is built, the index alone holds its entries and the segments' tables are dropped, so
   * a write costs no map entry and key string per segment (and no memory for them: a join's
   * grace keeps every record of it). Any other read (scans, `fetch`, counts) or a restore first
   * puts the index's entries back into the segments ({@link restoreSegments}), from which point
   * both hold them again, as before. Same entries, same stream time and expiry, same reads.
   */
  private get indexOnly(): boolean {
    return this.retainDuplicates && !this.persistent;
  }

  /** Puts the entries held only by the index back into the segments (a no-op unless dropped). */
  private restoreSegments(): void {
    if (!this.segmentsDropped) return;
    this.segmentsDropped = false;
    const segmented = this.segmented;
    this.entries!.forEach((recordKey, start, seq, value) => {
      segmented.put(WindowKeySchema.toStoreKey(Buffer.from(recordKey, 'latin1'), start, seq), value);
    });
  }

  isOpen(): boolean {
    return this.segmented.isOpen();
  }

  /** The segmented storage (segments, stream time). */
  get segments(): SegmentedBytesStore {
    this.restoreSegments();
    return this.segmented;
  }

  /**
   * Writes a value for `key` in the window starting at `windowStart`. Returns the store key written
   * (what the changelog records), or `undefined` if nothing was written (expired window, or a `null`
   * value in a store that retains duplicates).
   */
  put(key: Buffer, value: Buffer | null, windowStart: number): Buffer | undefined {
    requireTimestamp(windowStart, 'windowStartTime', this.name);
    if (value === null && this.retainDuplicates) return undefined;
    if (this.retainDuplicates) this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    const storeKey = WindowKeySchema.toStoreKey(key, windowStart, this.retainDuplicates ? this.seqnum : 0);
    return this.putIndexed(storeKey, value, windowStart) ? storeKey : undefined;
  }

  /** Writes a store key to the segments and, if they took it, to the index. */
  private putIndexed(storeKey: Buffer, value: Buffer | null, windowStart: number): boolean {
    if (this.segmentsDropped) {
      // Only a non-null value of a new sequence number comes here (see put): the index takes it.
      if (!this.segmented.observe(windowStart)) return false;
    } else if (!this.segmented.put(storeKey, value)) return false;
    const entries = this.entries;
    if (entries !== undefined && entries.built) {
      const n = storeKey.length;
      entries.write(
        storeKey.toString('latin1', 0, n - WINDOW_SUFFIX_BYTES),
        windowStart,
        storeKey.readUInt32BE(n - 4),
        value,
      );
      entries.expire(this.segmented.minLiveTime());
    }
    return true;
  }

  /**
   * {@link put} of a store key already built (`WindowKeySchema`, sequence number 0), as the caching
   * layer's flush has it: not built again. A store that retains duplicates takes it apart and puts.
   */
  putStoreKey(storeKey: Buffer, value: Buffer | null): Buffer | undefined {
    if (this.retainDuplicates)
      return this.put(
        WindowKeySchema.extractKey(storeKey),
        value,
        WindowKeySchema.extractTimestamp(storeKey),
      );
    return this.putIndexed(storeKey, value, WindowKeySchema.extractTimestamp(storeKey))
      ? storeKey
      : undefined;
  }

  /** {@link fetch} by a store key already built (sequence number 0). */
  fetchStoreKey(storeKey: Buffer): Buffer | undefined {
    this.restoreSegments();
    if (this.retainDuplicates)
      return this.fetch(WindowKeySchema.extractKey(storeKey), WindowKeySchema.extractTimestamp(storeKey));
    return this.segmented.get(storeKey);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    requireTimestamp(windowStart, 'windowStartTime', this.name);
    this.restoreSegments();
    if (!this.retainDuplicates) return this.segmented.get(WindowKeySchema.toStoreKey(key, windowStart, 0));
    const it = this.fetchRange(key, windowStart, windowStart, false);
    try {
      return it.next().value?.value;
    } finally {
      it.close();
    }
  }

  /**
   * {@link fetchRange}'s entries, in the same order, read at the call into an array (no iterator
   * per segment or layer, no copy of the key per entry).
   */
  windowsOf(key: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValue<number, Buffer>[] {
    this.checkRange(timeFrom, timeTo);
    const out: KeyValue<number, Buffer>[] = [];
    const minLive = this.segmented.minLiveTime();
    const entries = this.entries;
    if (entries !== undefined) {
      if (!entries.built) {
        this.buildEntries(entries);
        if (this.indexOnly && !this.segmentsDropped) {
          this.segmented.dropSegments();
          this.segmentsDropped = true;
        }
      }
      const from = Math.max(timeFrom, minLive);
      if (from <= timeTo) entries.collect(key.toString('latin1'), from, timeTo, reverse, out);
      return out;
    }
    // No window of the key starts at or after timeFrom: nothing to read.
    if (!this.segmented.mayHaveKey(key, timeFrom)) return out;
    const n = key.length;
    this.segmented.forEachInRange(
      WindowKeySchema.lowerRange(key, timeFrom),
      WindowKeySchema.upperRange(key, Math.min(timeTo, MAX_TIMESTAMP)),
      timeFrom,
      timeTo,
      reverse,
      (storeKey, value) => {
        if (storeKey.length !== n + WINDOW_SUFFIX_BYTES || storeKey.compare(key, 0, n, 0, n) !== 0) return;
        const ts = WindowKeySchema.extractTimestamp(storeKey);
        if (ts >= timeFrom && ts <= timeTo && ts >= minLive) out.push({ key: ts, value });
      },
    );
    return out;
  }

  /** Builds the index from every entry of the live segments. */
  private buildEntries(entries: WindowEntriesIndex): void {
    entries.build((visit) =>
      this.segmented.forEachInRange(
        undefined,
        undefined,
        0,
        Number.MAX_SAFE_INTEGER,
        false,
        (storeKey, value) =>
          visit(
            storeKey.toString('latin1', 0, storeKey.length - WINDOW_SUFFIX_BYTES),
            WindowKeySchema.extractTimestamp(storeKey),
            storeKey.readUInt32BE(storeKey.length - 4),
            value,
          ),
      ),
    );
  }

  fetchRange(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<number, Buffer> {
    this.checkRange(timeFrom, timeTo);
    this.restoreSegments();
    const scan = this.segmented.scan(
      WindowKeySchema.lowerRange(key, timeFrom),
      WindowKeySchema.upperRange(key, Math.min(timeTo, MAX_TIMESTAMP)),
      timeFrom,
      timeTo,
      reverse,
    );
    const minLive = this.segmented.minLiveTime();
    const own = filterIterator(
      scan,
      (e) => {
        const ts = WindowKeySchema.extractTimestamp(e.key);
        return (
          ts >= timeFrom && ts <= timeTo && ts >= minLive && WindowKeySchema.extractKey(e.key).equals(key)
        );
      },
      this.name,
    );
    return mapIterator(
      own,
      (e) => ({ key: WindowKeySchema.extractTimestamp(e.key), value: e.value }),
      undefined,
      this.name,
    );
  }

  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    this.checkRange(timeFrom, timeTo);
    this.restoreSegments();
    if (keyFrom !== undefined && keyTo !== undefined && Buffer.compare(keyFrom, keyTo) > 0) {
      return emptyIterator();
    }
    const scan = this.segmented.scan(
      keyFrom === undefined ? undefined : WindowKeySchema.lowerRange(keyFrom, timeFrom),
      keyTo === undefined ? undefined : WindowKeySchema.upperRange(keyTo, Math.min(timeTo, MAX_TIMESTAMP)),
      timeFrom,
      timeTo,
      reverse,
    );
    const minLive = this.segmented.minLiveTime();
    const own = filterIterator(
      scan,
      (e) => {
        const ts = WindowKeySchema.extractTimestamp(e.key);
        if (ts < timeFrom || ts > timeTo || ts < minLive) return false;
        const k = WindowKeySchema.extractKey(e.key);
        return (
          (keyFrom === undefined || Buffer.compare(k, keyFrom) >= 0) &&
          (keyTo === undefined || Buffer.compare(k, keyTo) <= 0)
        );
      },
      this.name,
    );
    return mapIterator(own, (e) => this.windowed(e), undefined, this.name);
  }

  fetchAll(timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, timeFrom, timeTo, reverse);
  }

  all(reverse = false): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, 0, MAX_TIMESTAMP, reverse);
  }

  approximateNumEntries(): number {
    this.restoreSegments();
    return this.segmented.count();
  }

  flush(): void {
    this.segmented.flush();
  }

  /** On every task commit: commits the segments' write buffers that waited their longest delay. */
  flushCache(): void {
    this.segmented.flushCache();
  }

  close(): Promise<void> {
    this.entries?.reset();
    this.segmentsDropped = false;
    return this.segmented.close();
  }

  private windowed(e: KeyValue<Buffer, Buffer>): KeyValue<Windowed<Buffer>, Buffer> {
    const start = WindowKeySchema.extractTimestamp(e.key);
    return {
      key: new Windowed(
        Buffer.from(WindowKeySchema.extractKey(e.key)),
        new Window(start, start + this.windowSizeMs),
      ),
      value: e.value,
    };
  }

  private checkRange(timeFrom: number, timeTo: number): void {
    if (Number.isNaN(timeFrom) || Number.isNaN(timeTo))
      throw new TypeError(`store ${this.name}: time range bounds must be numbers`);
  }
}

/** Validates window store arguments as Kafka Streams does. */
export function validateWindowStore(name: string, retentionMs: number, windowSizeMs: number): void {
  if (!Number.isSafeInteger(retentionMs) || retentionMs < 0) {
    throw new InvalidStoreConfigError(
      `window store ${name}: retentionMs must be a non-negative integer, got ${retentionMs}`,
    );
  }
  if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs < 0) {
    throw new InvalidStoreConfigError(
      `window store ${name}: windowSizeMs must be a non-negative integer, got ${windowSizeMs}`,
    );
  }
  if (windowSizeMs > retentionMs) {
    throw new InvalidStoreConfigError(
      `window store ${name}: retentionMs (${retentionMs}) must be no smaller than windowSizeMs (${windowSizeMs})`,
    );
  }
}
