import { ProcessorContext } from '../processor/processor-context';

/**
 * Turns a value into a new value, with access to state stores and punctuation through the
 * context (Kafka Streams' `ValueTransformer`, the seed's `transformValues` bridge).
 * The key is kept, so `transformValues` never causes repartitioning.
 */
export interface ValueTransformer<V, VR> {
  /**
   * Called once per task before the first record; keep the context to reach stores. Its key type
   * is `never`: the key stays the record's, the transformer cannot forward one of its own.
   */
  init?(context: ProcessorContext<never, VR>): void;
  /** Returns the new value (forwarded with the same key, timestamp and headers). */
  transform(value: V): VR;
  /** Called when the task closes. */
  close?(): void;
}

/** A `ValueTransformer` that also reads the (read-only) key (Kafka Streams' `ValueTransformerWithKey`). */
export interface ValueTransformerWithKey<K, V, VR> {
  init?(context: ProcessorContext<never, VR>): void;
  /** Declares two parameters: `transformValues` tells the two kinds apart by `transform.length`. */
  transform(readOnlyKey: K, value: V): VR;
  close?(): void;
}

/** Creates one transformer per task (Kafka Streams' `ValueTransformerSupplier`). */
export interface ValueTransformerSupplier<K, V, VR> {
  get(): ValueTransformer<V, VR> | ValueTransformerWithKey<K, V, VR>;
}
