import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStoreConfigError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { Window, Windowed } from '../window';
import { SegmentedBytesStore } from './segmented-bytes-store';
import { SessionKeyIndex } from './session-key-index';
import { filterIterator, mapIterator, StoreIterator } from './store-iterator';
import {
  MAX_TIMESTAMP,
  readTimestamp,
  requireTimestamp,
  SESSION_SUFFIX_BYTES,
  SessionKeySchema,
} from './window-key-schema';

/**
 * The bytes session store at the bottom of a layered session store (Kafka Streams' `RocksDBSessionStore`
 * and `InMemorySessionStore`): store keys in {@link SessionKeySchema} layout, segmented by session end.
 */
export class SegmentedSessionBytesStore implements StateStore {
  private readonly segmented: SegmentedBytesStore;
  /** The sessions of each record key (see {@link sessionsOf}); built at the first lookup. */
  private readonly index: SessionKeyIndex;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly segmentIntervalMs: number,
    readonly persistent: boolean,
  ) {
    if (!Number.isSafeInteger(retentionMs) || retentionMs < 0) {
      throw new InvalidStoreConfigError(
        `session store ${name}: retentionMs must be a non-negative integer, got ${retentionMs}`,
      );
    }
    this.segmented = new SegmentedBytesStore(
      name,
      retentionMs,
      segmentIntervalMs,
      persistent,
      SessionKeySchema.extractEnd,
      SESSION_SUFFIX_BYTES,
      // the session index lists every session of a key: no latest end per key besides it
      false,
    );
    // Sessions that ended before the live time are forgotten once per segment (or quarter retention).
    this.index = new SessionKeyIndex(undefined, Math.max(segmentIntervalMs, retentionMs / 4));
  }

  /** Label for metrics. */
  get storeType(): string {
    return this.persistent ? 'lmdb-session' : 'in-memory-session';
  }

  /** The segmented storage (segments, stream time). */
  get segments(): SegmentedBytesStore {
    return this.segmented;
  }

  init(context: StateStoreContext, root: StateStore): void {
    this.index.reset();
    this.segmented.open(context);
    context.register(root, (batch) => {
      this.segmented.restore(batch);
      if (this.index.active) for (const r of batch) this.noteWrite(r.key, r.value);
    });
  }

  isOpen(): boolean {
    return this.segmented.isOpen();
  }

  /** Writes (or with `null` removes) a session; returns the store key written, or `undefined` if it had expired. */
  put(session: Windowed<Buffer>, value: Buffer | null, recordKey?: string): Buffer | undefined {
    const start = session.window().start();
    const end = session.window().end();
    requireTimestamp(start, 'session start', this.name);
    requireTimestamp(end, 'session end', this.name);
    if (end < start)
      throw new InvalidStoreConfigError(
        `store ${this.name}: session end ${end} is before its start ${start}`,
      );
    const storeKey = SessionKeySchema.toStoreKey(session.key(), start, end);
    return this.write(storeKey, value, recordKey) ? storeKey : undefined;
  }

  /** Writes a store key below and keeps the session index (a write the store dropped, expired, is not noted). */
  private write(storeKey: Buffer, value: Buffer | null, recordKey?: string): boolean {
    if (!this.segmented.put(storeKey, value)) return false;
    if (this.index.active) {
      this.noteWrite(storeKey, value, recordKey);
      if (value !== null) this.index.prune(this.segmented.minLiveTime());
    }
    return true;
  }

  /** Notes a written (or with `null` deleted) store key in the session index. */
  private noteWrite(
    storeKey: Buffer,
    value: Buffer | null,
    recordKey = storeKey.toString('latin1', 0, storeKey.length - SESSION_SUFFIX_BYTES),
  ): void {
    const end = SessionKeySchema.extractEnd(storeKey);
    const start = SessionKeySchema.extractStart(storeKey);
    if (value === null) this.index.remove(recordKey, end, start);
    else this.index.add(recordKey, end, start);
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    return this.segmented.get(SessionKeySchema.toStoreKey(key, start, end));
  }

  /** {@link put} of a store key already built ({@link SessionKeySchema}), as the caching layer's flush has it. */
  putStoreKey(storeKey: Buffer, value: Buffer | null, recordKey?: string): Buffer | undefined {
    return this.write(storeKey, value, recordKey) ? storeKey : undefined;
  }

  /** {@link fetchSession} by a store key already built. */
  fetchStoreKey(storeKey: Buffer): Buffer | undefined {
    return this.segmented.get(storeKey);
  }

  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.findSessionsKeyRange(key, key, earliestSessionEndTime, latestSessionStartTime, reverse);
  }

  /** Sessions of the keys in `[keyFrom, keyTo]` (open when `undefined`), as {@link findSessions}. */
  findSessionsKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const single = keyFrom !== undefined && keyTo !== undefined && keyFrom.equals(keyTo);
    if (single) {
      return new StoreIterator(
        this.sessionsOf(keyFrom, earliestSessionEndTime, latestSessionStartTime, reverse)[Symbol.iterator](),
        undefined,
        this.name,
      );
    }
    const earliestEnd = Math.max(0, earliestSessionEndTime);
    const latestStart = Math.min(MAX_TIMESTAMP, latestSessionStartTime);
    const scan = this.segmented.scan(
      keyFrom,
      keyTo === undefined ? undefined : SessionKeySchema.toStoreKey(keyTo, latestStart, MAX_TIMESTAMP),
      earliestEnd,
      MAX_TIMESTAMP,
      reverse,
    );
    const minLive = this.segmented.minLiveTime();
    const own = filterIterator(
      scan,
      (e) => {
        const end = SessionKeySchema.extractEnd(e.key);
        return (
          end >= earliestEnd &&
          end >= minLive &&
          SessionKeySchema.extractStart(e.key) <= latestStart &&
          keyInRange(SessionKeySchema.extractKey(e.key), keyFrom, keyTo)
        );
      },
      this.name,
    );
    return mapIterator(own, (e) => windowedSession(e), undefined, this.name);
  }

  /**
   * The sessions of one key that end at or after `earliestSessionEndTime` and start at or before
   * `latestSessionStartTime` (the session aggregation's lookup per record), read at the call into an
   * array (a snapshot, as a RocksDB iterator is) in store order: by end, then start (reversed if
   * `reverse`). Each windowed key holds `key` itself, not a copy.
   *
   * The sessions come from the session index ({@link SessionKeyIndex}), each read by its key;
   * without one (past its key limit) from a range over the store. `held(end, start)`, when given,
   * says the caller holds that session already (the caching layer, whose cached entry wins over
   * the store's): such a session may be left out without being read. `recordKey`, when given, is
   * `key` as a latin1 string.
   */
  sessionsOf(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
    held?: (end: number, start: number) => boolean,
    recordKey?: string,
  ): KeyValue<Windowed<Buffer>, Buffer>[] {
    const earliestEnd = Math.max(0, earliestSessionEndTime);
    const latestStart = Math.min(MAX_TIMESTAMP, latestSessionStartTime);
    const minLive = this.segmented.minLiveTime();
    const found: KeyValue<Windowed<Buffer>, Buffer>[] = [];
    const index = this.index;
    if (!index.active) this.buildIndex();
    if (index.active) {
      const pairs = index.sessionsOf(recordKey ?? key.toString('latin1'));
      if (pairs === undefined) return found;
      const n = pairs.length;
      // pairs go by end: those ending at or after earliestEnd are the last ones (usually none or one)
      let first = n;
      while (first > 0 && pairs[first - 2]! >= earliestEnd) first -= 2;
      for (let j = first; j < n; j += 2) {
        const i = reverse ? n - 2 - (j - first) : j;
        const end = pairs[i]!;
        const start = pairs[i + 1]!;
        if (end < earliestEnd || end < minLive || start > latestStart) continue;
        if (held !== undefined && held(end, start)) continue;
        const value = this.segmented.get(SessionKeySchema.toStoreKey(key, start, end));
        if (value !== undefined) found.push({ key: new Windowed(key, new Window(start, end)), value });
      }
      return found;
    }
    // No session of the key ends at or after earliestEnd: nothing to read.
    if (!this.segmented.mayHaveKey(key, earliestEnd)) return found;
    const keyLength = key.length;
    this.segmented.forEachInRange(
      SessionKeySchema.toStoreKey(key, 0, earliestEnd),
      SessionKeySchema.toStoreKey(key, latestStart, MAX_TIMESTAMP),
      earliestEnd,
      MAX_TIMESTAMP,
      reverse,
      (k, value) => {
        if (k.length !== keyLength + SESSION_SUFFIX_BYTES) return;
        const end = readTimestamp(k, keyLength);
        const start = readTimestamp(k, keyLength + 8);
        if (
          end >= earliestEnd &&
          end >= minLive &&
          start <= latestStart &&
          k.compare(key, 0, keyLength, 0, keyLength) === 0
        )
          found.push({ key: new Windowed(key, new Window(start, end)), value });
      },
    );
    return found;
  }

  approximateNumEntries(): number {
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
    this.index.reset();
    return this.segmented.close();
  }

  /** Builds the session index from every session of the live segments (once per open, unless off). */
  private buildIndex(): void {
    this.index.build((visit) =>
      this.segmented.forEachInRange(undefined, undefined, 0, Number.MAX_SAFE_INTEGER, false, (storeKey) =>
        visit(
          storeKey.toString('latin1', 0, storeKey.length - SESSION_SUFFIX_BYTES),
          SessionKeySchema.extractEnd(storeKey),
          SessionKeySchema.extractStart(storeKey),
        ),
      ),
    );
  }
}

/** True if `key` is in `[keyFrom, keyTo]` by bytes (a bound that is `undefined` is open). */
export function keyInRange(key: Buffer, keyFrom: Buffer | undefined, keyTo: Buffer | undefined): boolean {
  return (
    (keyFrom === undefined || Buffer.compare(key, keyFrom) >= 0) &&
    (keyTo === undefined || Buffer.compare(key, keyTo) <= 0)
  );
}

function windowedSession(e: KeyValue<Buffer, Buffer>): KeyValue<Windowed<Buffer>, Buffer> {
  return {
    key: new Windowed(
      Buffer.from(SessionKeySchema.extractKey(e.key)),
      new Window(SessionKeySchema.extractStart(e.key), SessionKeySchema.extractEnd(e.key)),
    ),
    value: e.value,
  };
}
