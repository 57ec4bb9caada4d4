import type { StateStore } from '../processor/state-store';
import type { KeyValueIterator } from './key-value';
import type { Windowed } from './window';

/** Read operations on a session store (Kafka Streams' `ReadOnlySessionStore`). */
export interface ReadOnlySessionStore<K, V> {
  /**
   * Sessions of `key` that end at or after `earliestSessionEndTime` and start at or before
   * `latestSessionStartTime`: the sessions a new record may merge with. Ascending by end time.
   */
  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V>;
  /** As {@link findSessions}, descending. */
  backwardFindSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V>;
  /**
   * Sessions of the keys in `[keyFrom, keyTo]` (by serialized bytes; `undefined` leaves that end
   * open) that end at or after `earliestSessionEndTime` and start at or before
   * `latestSessionStartTime` (Kafka Streams' `findSessions(keyFrom, keyTo, earliestSessionEndTime,
   * latestSessionStartTime)`). Ordered by store segment, then key, then session end.
   */
  findSessionsKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V>;
  /** The aggregate of the exact session `[sessionStartTime, sessionEndTime]` of `key`, or `undefined`. */
  fetchSession(key: K, sessionStartTime: number, sessionEndTime: number): V | undefined;
  /** Every live session of `key`. */
  fetch(key: K): KeyValueIterator<Windowed<K>, V>;
}

/** A session store (Kafka Streams' `SessionStore`): aggregates per key and session window. */
export interface SessionStore<K, V> extends StateStore, ReadOnlySessionStore<K, V> {
  /** How long sessions are kept after their end, measured against the highest session end seen. */
  readonly retentionMs: number;
  /** Stores `aggregate` for a session; `null` removes it. */
  put(sessionKey: Windowed<K>, aggregate: V | null): void;
  /** Removes a session. */
  remove(sessionKey: Windowed<K>): void;
}
