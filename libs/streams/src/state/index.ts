/**
 * State stores: key-value, window and session stores with changelogs, caching and metrics
 * (Kafka Streams' `org.apache.kafka.streams.state`), and the task state manager the runtime uses.
 */
export {
  StateStoreError,
  InvalidStateStoreError,
  ProcessorStateError,
  InvalidStoreConfigError,
} from './errors';
export type { StateStoreErrorOptions } from './errors';
export type { KeyValueIterator } from './key-value';
export type { KeyValueStore, ReadOnlyKeyValueStore } from './key-value-store';
export { Window, Windowed } from './window';
export type { ValueAndTimestamp } from './value-and-timestamp';
export type { WindowStore, ReadOnlyWindowStore, WindowStoreIterator } from './window-store';
export type { SessionStore, ReadOnlySessionStore } from './session-store';
export type {
  KeyValueBytesStoreSupplier,
  WindowBytesStoreSupplier,
  SessionBytesStoreSupplier,
} from './store-supplier';
export type { StateRestoreListener, TopicPartition } from './state-restore-listener';
export { Stores } from './stores';
export { QueryableStoreTypes } from './queryable-store-types';
export type { QueryableStoreType } from './queryable-store-types';
export type {
  ConfigurableStoreBuilder,
  KeyValueStoreBuilder,
  WindowStoreBuilder,
  SessionStoreBuilder,
} from './configurable-store-builder';
export type { CachedStateStore, FlushListener, WindowedFlushListener } from './cached-state-store';
