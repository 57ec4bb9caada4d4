import type { StateStore } from '../processor/state-store';
import type { KeyValueIterator } from './key-value';
import type { Windowed } from './window';

/** Iterates the values of one key in one window store, keyed by window start time. */
export type WindowStoreIterator<V> = KeyValueIterator<number, V>;

/** Read operations on a window store (Kafka Streams' `ReadOnlyWindowStore`). */
export interface ReadOnlyWindowStore<K, V> {
  /** The value of `key` in the window that starts at `windowStartTime`, or `undefined`. */
  fetch(key: K, windowStartTime: number): V | undefined;
  /** Values of `key` in windows starting in `[timeFrom, timeTo]`, by ascending start time. */
  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  /** As {@link fetchRange}, by descending start time. */
  backwardFetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  /** Entries of keys in `[keyFrom, keyTo]` (open if `undefined`) in windows starting in `[timeFrom, timeTo]`. */
  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V>;
  /** Entries of every key in windows starting in `[timeFrom, timeTo]`. */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  /** Every live entry. */
  all(): KeyValueIterator<Windowed<K>, V>;
}

/** A window store (Kafka Streams' `WindowStore`): values per key and window, expired by retention. */
export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  /** Size of the windows, used to compute `window.end = start + windowSize`. */
  readonly windowSizeMs: number;
  /** How long windows are kept, measured against the highest window start seen (stream time). */
  readonly retentionMs: number;
  /**
   * Puts `value` for `key` in the window starting at `windowStartTime`; `null` deletes it.
   * Writes into windows older than the retention period are dropped.
   */
  put(key: K, value: V | null, windowStartTime: number): void;
}
