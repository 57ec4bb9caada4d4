import type { HttpException } from '@nestjs/common';
import type { Serializer, StreamPartitioner } from '@gmart/streams';

/**
 * One key lookup in a state store, answered by whichever instance of the service holds the key
 * (see `InteractiveQueries.routed`).
 */
export interface RoutedQuery<K, V> {
  /** The store holding the key (for `queryMetadataForKey`). */
  readonly storeName: string;
  readonly key: K;
  /** Serializes the key as the store's source topic was keyed. */
  readonly keySerializer: Serializer<K>;
  /** The partitioner the store's source topic was written with; default murmur2 (the Java client's). */
  readonly partitioner?: StreamPartitioner<K, unknown>;
  /**
   * The request's path on the owning instance, e.g. `/rewards/42`; it is asked with `local=true`
   * added, so it answers from its own stores and never forwards again.
   */
  readonly path: string;
  /** The request carried `local=true`: answer from this instance's stores only. */
  readonly localOnly?: boolean;
  /** The answer from this instance's stores, or `undefined` when they do not hold the key. */
  readonly local: () => V | undefined;
  /** The error (a 404) to answer when the owning instance does not hold the key either. */
  readonly notFound: () => HttpException;
}
