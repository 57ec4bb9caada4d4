import type { InternalTopologyBuilder } from '../../processor/internals/internal-topology-builder';
import type { GlobalKTable } from '../global-ktable';
import type { KTableValueGetterSupplier } from './ktable-processor-supplier';
import { storeValueGetterSupplier } from './ktable-source';

/** The DSL's global table (Kafka Streams' `GlobalKTableImpl`): its store's value getter and query name. */
export class GlobalKTableImpl<K, V> implements GlobalKTable<K, V> {
  constructor(
    readonly builder: InternalTopologyBuilder,
    /** The global store (always materialized). */
    readonly storeName: string,
    private readonly queryableName: string | undefined,
  ) {}

  queryableStoreName(): string | null {
    return this.queryableName ?? null;
  }

  /** Reads the global store (Kafka Streams' `KTableSourceValueGetterSupplier`). */
  valueGetterSupplier(): KTableValueGetterSupplier<K, V> {
    return storeValueGetterSupplier<K, V>(this.storeName);
  }
}

/** True for a {@link GlobalKTableImpl}; its key and value types are the caller's to state. */
export function isGlobalTable<K = unknown, V = unknown>(x: unknown): x is GlobalKTableImpl<K, V> {
  return x instanceof GlobalKTableImpl;
}
