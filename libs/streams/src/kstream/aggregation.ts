/** Creates the initial aggregate of a new key or window (Kafka Streams' `Initializer`). */
export type Initializer<VA> = () => VA;
/** Folds a value into an aggregate (Kafka Streams' `Aggregator`). */
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;
/** Combines two values of the same type (Kafka Streams' `Reducer`). */
export type Reducer<V> = (aggregate: V, value: V) => V;
/** Merges two session aggregates when a record joins sessions (Kafka Streams' `Merger`). */
export type Merger<K, VA> = (key: K, aggregate1: VA, aggregate2: VA) => VA;
