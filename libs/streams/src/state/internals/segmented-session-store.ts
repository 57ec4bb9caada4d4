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
    const earliestEnd = Math.max(0, earliestSessionEndTime);
    const latestStart = Math.min(MAX_TIMESTAMP, latestSessionStartTime);
    const single = keyFrom !== undefined && keyTo !== undefined && keyFrom.equals(keyTo);
    const scan = this.segmented.scan(
      single ? SessionKeySchema.toStoreKey(keyFrom, 0, earliestEnd) : keyFrom,
      keyTo === undefined ? undefined : SessionKeySchema.toStoreKey(keyTo, latestStart, MAX_TIMESTAMP),
      earliestEnd,
      MAX_TIMESTAMP,
      reverse,
    );
    const minLive = this.segmented.minLiveTime();
    if (single) {
      // One key (the session aggregation's lookup per record): its few sessions are read at the
      // call into an array (a snapshot, as a RocksDB iterator is), without an iterator layer per step.
      const found: KeyValue<Windowed<Buffer>, Buffer>[] = [];
      const keyLength = keyFrom.length;
      try {
        for (const e of scan) {
          const k = e.key;
          if (k.length !== keyLength + SESSION_SUFFIX_BYTES) continue;
          const end = readTimestamp(k, keyLength);
          if (
            end >= earliestEnd &&
            end >= minLive &&
            readTimestamp(k, keyLength + 8) <= latestStart &&
            k.compare(keyFrom, 0, keyLength, 0, keyLength) === 0
          )
            found.push(windowedSession(e));
        }
      } finally {
        scan.close();
      }
      return new StoreIterator(found[Symbol.iterator](), undefined, this.name);
    }
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
