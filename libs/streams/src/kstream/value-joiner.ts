/**
 * Combines the values of two joined records (Kafka Streams' `ValueJoiner`). In left and outer
 * joins, the missing side is `null`.
 */
export type ValueJoiner<V1, V2, VR> = (value1: V1, value2: V2) => VR;

/**
 * As {@link ValueJoiner}, also given the read-only join key (Kafka Streams' `ValueJoinerWithKey`).
 * Told apart from a `ValueJoiner` by declaring three parameters.
 */
export type ValueJoinerWithKey<K, V1, V2, VR> = (key: K, value1: V1, value2: V2) => VR;
