import type { Registry } from 'prom-client';
import type {
  KeyValue,
  KeyValueIterator,
  KeyValueStore,
  MetricsRecordingLevel,
  Serializer,
  StateRestoreCallback,
  StateStore,
  StateStoreContext,
  StoreBuilder,
  StoreRegistration,
  TaskId,
} from '@gmart/streams';

/** A value written since the last flush, with the timestamp of the record that wrote it. */
interface Pending<V> {
  readonly value: V | null;
  readonly timestamp: number;
}

/**
 * What the runtime's store context carries besides the {@link StateStoreContext} contract: the
 * application's metrics registry and recording level, which the metered layer below reads (without
 * them it would report to prom-client's default registry and time every call, as at `DEBUG`).
 */
interface MetricsContext extends StateStoreContext {
  readonly metricsRegistry?: Registry;
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
}

/**
 * The context the store below sees: the task's (its metrics registry and recording level
 * included), except that while {@link WriteBehindKeyValueStore} writes its pending values down, the
 * record timestamp is the one each value was written with (what the caching layer below stamps on
 * its entry and the changelog record carries).
 */
class WriteBehindContext implements MetricsContext {
  /** Timestamp of the pending value being written down, or `undefined` (the task's). */
  writingAt: number | undefined = undefined;

  constructor(private readonly delegate: MetricsContext) {}

  get metricsRegistry(): Registry | undefined {
    return this.delegate.metricsRegistry;
  }
  get metricsRecordingLevel(): MetricsRecordingLevel | undefined {
    return this.delegate.metricsRecordingLevel;
  }

  get applicationId(): string {
    return this.delegate.applicationId;
  }
  get taskId(): TaskId {
    return this.delegate.taskId;
  }
  get stateDir(): string {
    return this.delegate.stateDir;
  }
  get cacheMaxBytes(): number {
    return this.delegate.cacheMaxBytes;
  }
  get recordCacheOwner(): object | undefined {
    return this.delegate.recordCacheOwner;
  }
  register(store: StateStore, restore: StateRestoreCallback, registration?: StoreRegistration): void {
    this.delegate.register(store, restore, registration);
  }
  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.delegate.logChange(storeName, key, value, timestamp);
  }
  currentTimestamp(): number {
    return this.writingAt ?? this.delegate.currentTimestamp();
  }
}

/**
 * A key-value layer above a (cached) store that keeps, as objects, the latest value of each key
 * written since the last flush, and writes them down (serialized once each) when the task commits
 * (`flushCache`, `flush`), before a range read, and on close: each with the timestamp of the record
 * that wrote it, in the order of their last writes, as the record cache below would have flushed
 * them. So a key written many times between two commits is serialized once, not once per write;
 * what reaches the store below and its changelog at each commit is what the record cache alone
 * would have sent (the cache de-duplicates those writes too), as long as the cache does not evict
 * between commits: evicting, the cache alone would also send a key's earlier value then (the last
 * value per key and commit is the same). The pending values are not counted in the cache's budget.
 * Reads see the pending values first.
 *
 * Values must not be changed once written (coupon histories are frozen). The pending values are
 * at most one per key written since the last commit; a crash loses them as it loses the record
 * cache's unflushed entries (the records that wrote them are processed again).
 */
export class WriteBehindKeyValueStore<V> implements KeyValueStore<string, V> {
  private readonly pending = new Map<string, Pending<V>>();
  private context: WriteBehindContext | undefined;

  constructor(private readonly inner: KeyValueStore<string, V>) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.context = new WriteBehindContext(context);
    return this.inner.init(this.context, root);
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  get(key: string): V | undefined {
    const p = this.pending.get(key);
    if (p !== undefined) return p.value ?? undefined;
    return this.inner.get(key);
  }

  put(key: string, value: V | null): void {
    const context = this.context;
    if (context === undefined) throw new Error(`store ${this.name} is not open`);
    if (key === null || key === undefined)
      throw new TypeError(`store ${this.name}: key must not be null or undefined`);
    // Deleted first, so the key goes to the end: pending values are written down in the order of
    // their last writes.
    this.pending.delete(key);
    this.pending.set(key, { value, timestamp: context.currentTimestamp() });
  }

  putIfAbsent(key: string, value: V | null): V | undefined {
    const existing = this.get(key);
    if (existing === undefined) this.put(key, value);
    return existing;
  }

  putAll(entries: Iterable<KeyValue<string, V | null>>): void {
    for (const e of entries) this.put(e.key, e.value);
  }

  delete(key: string): V | undefined {
    const old = this.get(key);
    this.put(key, null);
    return old;
  }

  range(from: string | undefined, to: string | undefined): KeyValueIterator<string, V> {
    this.writeDown();
    return this.inner.range(from, to);
  }

  reverseRange(from: string | undefined, to: string | undefined): KeyValueIterator<string, V> {
    this.writeDown();
    return this.inner.reverseRange(from, to);
  }

  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<string, V> {
    this.writeDown();
    return this.inner.prefixScan(prefix, prefixSerializer);
  }

  all(): KeyValueIterator<string, V> {
    this.writeDown();
    return this.inner.all();
  }

  reverseAll(): KeyValueIterator<string, V> {
    this.writeDown();
    return this.inner.reverseAll();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries() + this.pending.size;
  }

  flushCache(): void | Promise<void> {
    this.writeDown();
    return this.inner.flushCache ? this.inner.flushCache() : this.inner.flush();
  }

  flush(): void | Promise<void> {
    this.writeDown();
    return this.inner.flush();
  }

  async close(): Promise<void> {
    if (this.inner.isOpen()) this.writeDown();
    await this.inner.close();
  }

  /** Writes the pending values to the store below, oldest last write first. */
  private writeDown(): void {
    const context = this.context;
    if (context === undefined || this.pending.size === 0) return;
    try {
      // Each leaves the map once the store below has it (a failing write keeps it and those after it).
      for (const [key, p] of this.pending) {
        context.writingAt = p.timestamp;
        this.inner.put(key, p.value);
        this.pending.delete(key);
      }
    } finally {
      context.writingAt = undefined;
    }
  }
}

/** A builder of {@link WriteBehindKeyValueStore}s over the stores `inner` builds (same name, same changelog). */
export function writeBehindStoreBuilder<V>(
  inner: StoreBuilder<KeyValueStore<string, V>>,
): StoreBuilder<WriteBehindKeyValueStore<V>> {
  return {
    get name() {
      return inner.name;
    },
    get loggingEnabled() {
      return inner.loggingEnabled;
    },
    get logConfig() {
      return inner.logConfig;
    },
    build: () => new WriteBehindKeyValueStore(inner.build()),
  };
}
