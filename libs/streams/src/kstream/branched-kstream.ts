import { Branched } from './branched';
import type { KStream, Predicate } from './kstream';

/** The builder returned by `KStream.split()` (Kafka Streams' `BranchedKStream`). */
export interface BranchedKStream<K, V> {
  /** Adds a branch for records matching `predicate` (and no earlier branch). */
  branch(predicate: Predicate<K, V>, branched?: Branched<K, V>): BranchedKStream<K, V>;
  /** Adds a branch for every remaining record and returns the branches by name. */
  defaultBranch(branched?: Branched<K, V>): Record<string, KStream<K, V>>;
  /** Drops the remaining records and returns the branches by name. */
  noDefaultBranch(): Record<string, KStream<K, V>>;
}
