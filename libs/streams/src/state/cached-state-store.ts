import type { Headers } from '../serialization/serde';
import type { Windowed } from './window';

/**
 * Receives records leaving a caching store, deserialized: the key, its new value (`null` = deleted),
 * its previous value (`undefined` unless old values were requested; `null` if there was none), the
 * timestamp of the record that wrote it and that record's headers (as Kafka Streams' cache entries
 * keep the writing record's context; an empty object when it had none).
 */
export type FlushListener<K, V> = (
  key: K,
  newValue: V | null,
  oldValue: V | null | undefined,
  timestamp: number,
  headers: Headers,
) => void;

/** A {@link FlushListener} of a window or session store: the key carries its window. */
export type WindowedFlushListener<K, V> = FlushListener<Windowed<K>, V>;

/**
 * A store that may have a caching layer (Kafka Streams' `CachedStateStore`): the KTable operators
 * forward the records leaving the cache instead of every write.
 */
export interface CachedStateStore<K, V> {
  /**
   * Sets the listener for records leaving the cache. Returns `false`, and sets nothing, if the store
   * has no caching layer: the caller then forwards each write itself.
   */
  setFlushListener(listener: FlushListener<K, V>, sendOldValues?: boolean): boolean;
}
