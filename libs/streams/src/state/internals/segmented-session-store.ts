import type { StateStore, StateStoreContext } from '../../processor/state-store';
import { InvalidStoreConfigError } from '../errors';
import type { KeyValue, KeyValueIterator } from '../key-value';
import { Window, Windowed } from '../window';
import { SegmentedBytesStore } from './segmented-bytes-store';
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
    );
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
    this.segmented.open(context);
    context.register(root, (batch) => this.segmented.restore(batch));
  }

  isOpen(): boolean {
    return this.segmented.isOpen();
  }

  /** Writes (or with `null` removes) a session; returns the store key written, or `undefined` if it had expired. */
  put(session: Windowed<Buffer>, value: Buffer | null): Buffer | undefined {
    const start = session.window().start();
    const end = session.window().end();
    requireTimestamp(start, 'session start', this.name);
    requireTimestamp(end, 'session end', this.name);
    if (end < start)
      throw new InvalidStoreConfigError(
        `store ${this.name}: session end ${end} is before its start ${start}`,
      );
    const storeKey = SessionKeySchema.toStoreKey(session.key(), start, end);
    return this.segmented.put(storeKey, value) ? storeKey : undefined;
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    return this.segmented.get(SessionKeySchema.toStoreKey(key, start, end));
  }

  /** {@link put} of a store key already built ({@link SessionKeySchema}), as the caching layer's flush has it. */
  putStoreKey(storeKey: Buffer, value: Buffer | null): Buffer | undefined {
    return this.segmented.put(storeKey, value) ? storeKey : undefined;
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
   */
  sessionsOf(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValue<Windowed<Buffer>, Buffer>[] {
    const earliestEnd = Math.max(0, earliestSessionEndTime);
    const latestStart = Math.min(MAX_TIMESTAMP, latestSessionStartTime);
    const minLive = this.segmented.minLiveTime();
    const found: KeyValue<Windowed<Buffer>, Buffer>[] = [];
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
    return this.segmented.close();
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
