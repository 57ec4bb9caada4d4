import type { KeyValue, KeyValueIterator } from '../key-value';
import { Windowed } from '../window';
import type { SessionStore } from '../session-store';
import type { WindowStore, WindowStoreIterator } from '../window-store';
import { MeteredStore } from './metered-store';
import type { SessionBytesStore, WindowBytesStore } from './window-bytes-store';

/** The windowed-key plumbing the metered window and session layers add to {@link MeteredStore}. */
abstract class MeteredSegmentedStore<
  K,
  V,
  S extends WindowBytesStore | SessionBytesStore,
> extends MeteredStore<K, V, S, Windowed<Buffer>, Windowed<K>> {
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  protected outerKey(key: Windowed<Buffer>): Windowed<K> {
    return new Windowed(this.deserializeKey(key.key()), key.window());
  }

  protected windowedEntry(e: KeyValue<Windowed<Buffer>, Buffer>): KeyValue<Windowed<K>, V> {
    return { key: this.outerKey(e.key), value: this.serdes.valueFrom(e.value) };
  }
}

export type { WindowedFlushListener } from '../cached-state-store';

/** No sessions (see {@link MeteredSessionStore.findSessionsArray}). */
const NO_SESSIONS: readonly never[] = Object.freeze([]);

/** Kafka Streams' `MeteredWindowStore`: the outermost window store layer (serdes, metrics). */
export class MeteredWindowStore<K, V>
  extends MeteredSegmentedStore<K, V, WindowBytesStore>
  implements WindowStore<K, V>
{
  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  put(key: K, value: V | null, windowStartTime: number): void {
    const start = this.startTime();
    const written = this.inner.put(this.serializeKey(key), this.serializeValue(value), windowStartTime);
    this.recordPut(start, written, value);
  }

  fetch(key: K, windowStartTime: number): V | undefined {
    const start = this.startTime();
    const result = this.deserializeValue(this.inner.fetch(this.serializeKey(key), windowStartTime));
    this.observe('fetch', start);
    return result;
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    const k = this.serializeKey(key);
    const start = this.startTime();
    // Read at the call (the layers below read a snapshot anyway): no iterator layers per record.
    const found = this.inner.windowsOf?.(k, timeFrom, timeTo, false);
    if (found !== undefined) {
      const entries: KeyValue<number, V>[] = new Array(found.length);
      for (let i = 0; i < found.length; i++)
        entries[i] = { key: found[i]!.key, value: this.serdes.valueFrom(found[i]!.value) };
      return this.openArrayIterator('fetch', start, entries);
    }
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchRange(k, timeFrom, timeTo, false),
      (e) => ({
        key: e.key,
        value: this.serdes.valueFrom(e.value),
      }),
    );
  }

  /**
   * @internal {@link fetchRange}'s entries (same entries, same order), read at the call into an
   * array with no iterator to open, count and close: the stream-stream join's lookup, once per
   * record. `undefined` when a layer below cannot read them at once (the caller then iterates).
   */
  fetchRangeArray(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[] | undefined {
    const k = this.serializeKey(key);
    const start = this.startTime();
    const found = this.inner.windowsOf?.(k, timeFrom, timeTo, false);
    if (found === undefined) return undefined;
    const entries: KeyValue<number, V>[] = new Array(found.length);
    for (let i = 0; i < found.length; i++)
      entries[i] = { key: found[i]!.key, value: this.serdes.valueFrom(found[i]!.value) };
    this.observe('fetch', start);
    return entries;
  }

  backwardFetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V> {
    const k = this.serializeKey(key);
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchRange(k, timeFrom, timeTo, true),
      (e) => ({
        key: e.key,
        value: this.serdes.valueFrom(e.value),
      }),
    );
  }

  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    const from = this.optionalKey(keyFrom);
    const to = this.optionalKey(keyTo);
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchKeyRange(from, to, timeFrom, timeTo, false),
      (e) => this.windowedEntry(e),
    );
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.timedIterator(
      'fetch',
      () => this.inner.fetchAll(timeFrom, timeTo, false),
      (e) => this.windowedEntry(e),
    );
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.timedIterator(
      'all',
      () => this.inner.all(false),
      (e) => this.windowedEntry(e),
    );
  }
}

/** Kafka Streams' `MeteredSessionStore`: the outermost session store layer (serdes, metrics). */
export class MeteredSessionStore<K, V>
  extends MeteredSegmentedStore<K, V, SessionBytesStore>
  implements SessionStore<K, V>
{
  put(sessionKey: Windowed<K>, aggregate: V | null): void {
    const start = this.startTime();
    const key = sessionKey.key();
    const bytes = this.serializeKey(key);
    const written = this.inner.put(
      new Windowed(bytes, sessionKey.window()),
      this.serializeValue(aggregate),
      this.latin1KeyOf(key, bytes),
    );
    this.recordPut(start, written, aggregate);
  }

  remove(sessionKey: Windowed<K>): void {
    const start = this.startTime();
    const key = sessionKey.key();
    const bytes = this.serializeKey(key);
    this.inner.put(new Windowed(bytes, sessionKey.window()), null, this.latin1KeyOf(key, bytes));
    this.observe('remove', start);
  }

  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): V | undefined {
    const start = this.startTime();
    const result = this.deserializeValue(
      this.inner.fetchSession(this.serializeKey(key), sessionStartTime, sessionEndTime),
    );
    this.observe('fetch', start);
    return result;
  }

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.sessionsOf(key, earliestSessionEndTime, latestSessionStartTime, false);
  }

  backwardFindSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.sessionsOf(key, earliestSessionEndTime, latestSessionStartTime, true);
  }

  /**
   * @internal {@link findSessions}' entries (same entries, same order), read at the call into an
   * array with no iterator to open, count and close: the session aggregation's lookup, once per
   * record. Read only: an empty answer is a shared array.
   */
  findSessionsArray(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): readonly KeyValue<Windowed<K>, V>[] {
    const k = this.serializeKey(key);
    const start = this.startTime();
    const found = this.inner.sessionsOf(
      k,
      earliestSessionEndTime,
      latestSessionStartTime,
      false,
      undefined,
      this.latin1KeyOf(key, k),
    );
    const n = found.length;
    const entries: readonly KeyValue<Windowed<K>, V>[] = n === 0 ? NO_SESSIONS : new Array(n);
    for (let i = 0; i < n; i++) (entries as KeyValue<Windowed<K>, V>[])[i] = this.windowedEntry(found[i]!);
    this.observe('fetch', start);
    return entries;
  }

  /** One key's sessions, read at the call (the layers' {@link SessionBytesStore.sessionsOf}). */
  private sessionsOf(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<K>, V> {
    const start = this.startTime();
    const found = this.inner.sessionsOf(
      this.serializeKey(key),
      earliestSessionEndTime,
      latestSessionStartTime,
      reverse,
    );
    const entries: KeyValue<Windowed<K>, V>[] = new Array(found.length);
    for (let i = 0; i < found.length; i++) entries[i] = this.windowedEntry(found[i]!);
    return this.openArrayIterator('fetch', start, entries);
  }

  findSessionsKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    const from = keyFrom === undefined ? undefined : this.serializeKey(keyFrom);
    const to = keyTo === undefined ? undefined : this.serializeKey(keyTo);
    return this.timedIterator(
      'fetch',
      () => this.inner.findSessionsKeyRange(from, to, earliestSessionEndTime, latestSessionStartTime, false),
      (e) => this.windowedEntry(e),
    );
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.findSessions(key, 0, Number.MAX_SAFE_INTEGER);
  }
}
