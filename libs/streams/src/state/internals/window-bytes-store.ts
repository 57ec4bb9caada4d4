import type { StateStore } from '../../processor/state-store';
import type { KeyValue, KeyValueIterator } from '../key-value';
import type { Windowed } from '../window';

/** The bytes window store API the window layers share (see {@link SegmentedWindowBytesStore}). */
export interface WindowBytesStore extends StateStore {
  readonly storeType: string;
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  put(key: Buffer, value: Buffer | null, windowStart: number): Buffer | undefined;
  fetch(key: Buffer, windowStart: number): Buffer | undefined;
  /**
   * {@link put} of a store key already built (`WindowKeySchema.toStoreKey(key, windowStart, 0)`):
   * the caching layer's flush writes the key it cached without building it again.
   */
  putStoreKey(storeKey: Buffer, value: Buffer | null): Buffer | undefined;
  /** {@link fetch} by a store key already built (sequence number 0). */
  fetchStoreKey(storeKey: Buffer): Buffer | undefined;
  /**
   * {@link fetchRange}'s entries (window start, value) read at the call into an array: the lookup
   * of one key a stream-stream join makes per record, without iterators. Optional, and `undefined`
   * when a layer below cannot (the caching layer): callers then go through {@link fetchRange}.
   */
  windowsOf?(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValue<number, Buffer>[] | undefined;
  fetchRange(
    key: Buffer,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<number, Buffer>;
  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  fetchAll(timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
  all(reverse?: boolean): KeyValueIterator<Windowed<Buffer>, Buffer>;
  approximateNumEntries(): number;
}

/** The bytes session store API the session layers share (see {@link SegmentedSessionBytesStore}). */
export interface SessionBytesStore extends StateStore {
  readonly storeType: string;
  readonly retentionMs: number;
  /**
   * Writes (or with `null` removes) a session; returns the store key written, or `undefined` if it
   * had expired (the caching layer, whose callers only test for `undefined`, returns its cache key:
   * the store key after an 8-byte segment prefix, no view made per write). `recordKey`, when given,
   * is the session's key as a latin1 string (the caller has it).
   */
  put(session: Windowed<Buffer>, value: Buffer | null, recordKey?: string): Buffer | undefined;
  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined;
  /**
   * {@link put} of a store key already built (`SessionKeySchema.toStoreKey`), as the caching layer's
   * flush has it; `recordKey` as {@link put}'s.
   */
  putStoreKey(storeKey: Buffer, value: Buffer | null, recordKey?: string): Buffer | undefined;
  /** {@link fetchSession} by a store key already built. */
  fetchStoreKey(storeKey: Buffer): Buffer | undefined;
  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  findSessionsKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  /**
   * {@link findSessions}' entries read at the call into an array, whose windowed keys hold `key`
   * itself (no copy per session): the session aggregation's lookup per record, without iterators.
   * `held(end, start)`, when given, says the caller holds that session itself (a caching layer,
   * whose entry wins): a store may leave such sessions out without reading them. `recordKey`, when
   * given, is `key` as a latin1 string (the caller has it already).
   */
  sessionsOf(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
    held?: (end: number, start: number) => boolean,
    recordKey?: string,
  ): KeyValue<Windowed<Buffer>, Buffer>[];
  approximateNumEntries(): number;
}
