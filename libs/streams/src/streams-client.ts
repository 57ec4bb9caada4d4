import type { StreamPartitioner } from './processor/stream-partitioner';
import type { Serializer } from './serialization/serde';
import type { QueryableStoreType } from './state/queryable-store-types';
import type { KeyQueryMetadata, StreamsMetadata } from './state/streams-metadata';

/** Parameters of `KafkaStreams.store()` (Kafka Streams' `StoreQueryParameters`). */
export interface StoreQueryParameters<T> {
  readonly storeName: string;
  /** `QueryableStoreTypes.keyValueStore()`, `windowStore()` or `sessionStore()`. */
  readonly type: QueryableStoreType<T>;
}

/** Kafka Streams' client states. */
export enum KafkaStreamsState {
  CREATED = 'CREATED',
  REBALANCING = 'REBALANCING',
  RUNNING = 'RUNNING',
  PENDING_SHUTDOWN = 'PENDING_SHUTDOWN',
  NOT_RUNNING = 'NOT_RUNNING',
  PENDING_ERROR = 'PENDING_ERROR',
  ERROR = 'ERROR',
}

/** Called on every state change. */
export type StateListener = (newState: KafkaStreamsState, oldState: KafkaStreamsState) => void;

/** Options of `close()`. */
export interface CloseOptions {
  /** Give up waiting for threads after this long (they are abandoned, not committed). Default 30000. */
  timeoutMs?: number;
}

/**
 * What a running streams client offers the code around it: its lifecycle (`start`, `close`, the
 * state and a listener of its changes) and interactive queries (`store`, `allMetadataForStore`,
 * `queryMetadataForKey`). `KafkaStreams` implements it; integrations (`@gmart/nest-streams`)
 * and services depend on this interface rather than on the class and its construction.
 */
export interface StreamsClient {
  /** Starts processing; resolves once the stream threads run (the state becomes RUNNING later). */
  start(): Promise<void>;
  /** Stops processing, committing what was processed, within `options.timeoutMs`. */
  close(options?: CloseOptions): Promise<void>;
  /** The current state. */
  state(): KafkaStreamsState;
  /** Called on every state change; set before `start()`. */
  setStateListener(listener: StateListener): void;
  /** A read-only view of this instance's local stores named `params.storeName`. */
  store<T>(params: StoreQueryParameters<T>): T;
  /** Every instance of the application that hosts `storeName` (or every instance). */
  allMetadataForStore(storeName?: string): StreamsMetadata[];
  /**
   * Which instance holds `key` of `storeName`; `undefined` while the group's assignment is not
   * known (starting or rebalancing).
   */
  queryMetadataForKey<K>(
    storeName: string,
    key: K,
    keySerializer: Serializer<K>,
    partitioner?: StreamPartitioner<K, unknown>,
  ): KeyQueryMetadata | undefined;
}
