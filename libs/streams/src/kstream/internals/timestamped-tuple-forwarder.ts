import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { TimestampedFlushListener } from '../../state/internals/timestamped-key-value-store';
import { Change } from './change';
import { currentNodeOf, forwardAsNode } from './dsl-context';

/**
 * Forwards a table's updates the way its store dictates (Kafka Streams' `TimestampedTupleForwarder`
 * with `TimestampedCacheFlushListener`): with caching on, nothing is forwarded on write and the
 * latest value per key goes downstream when the cache flushes (commit) or evicts it, with the value
 * in the store below as the old value, the new value's own timestamp (the write's for a delete) and
 * the headers of the record that wrote it (Kafka Streams' cache entry record context);
 * with caching off every write is forwarded at once.
 * Must be created in the processor's `init`.
 */
export class TimestampedTupleForwarder<K, V> {
  private readonly cachingEnabled: boolean;

  constructor(
    store: { setFlushListener(listener: TimestampedFlushListener<K, V>, sendOldValues: boolean): boolean },
    private readonly context: ProcessorContext<K, Change<V>>,
    sendOldValues: boolean,
  ) {
    const node = currentNodeOf(context);
    this.cachingEnabled = store.setFlushListener(
      (key, newValue, oldValue, timestamp, headers) =>
        forwardAsNode(
          context,
          node,
          new Record(
            key,
            new Change<V>(newValue?.value ?? null, sendOldValues ? (oldValue?.value ?? null) : null),
            newValue?.timestamp ?? timestamp,
            headers,
          ),
        ),
      sendOldValues,
    );
  }

  /**
   * True when {@link maybeForward} forwards (caching off). With caching on it does not, so a caller
   * need not read the old value it would forward: the cache reads it from the store below on flush.
   */
  get forwardsOnWrite(): boolean {
    return !this.cachingEnabled;
  }

  /** Forwards `record` unless the store's cache will forward it on flush. */
  maybeForward(record: Record<K, Change<V>>): void {
    if (!this.cachingEnabled) this.context.forward(record);
  }
}
