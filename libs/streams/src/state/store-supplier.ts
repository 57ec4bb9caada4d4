import type { KeyValueBytesStore } from './internals/table-key-value-store';
import type { SegmentedSessionBytesStore } from './internals/segmented-session-store';
import type { SegmentedWindowBytesStore } from './internals/segmented-window-store';

/** Supplies the innermost bytes store of a key-value store, one per task (Kafka Streams' `KeyValueBytesStoreSupplier`). */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  /** Metrics label `store_type`. */
  readonly metricsScope: string;
  get(): KeyValueBytesStore;
}

/** Supplies the innermost bytes store of a window store (Kafka Streams' `WindowBytesStoreSupplier`). */
export interface WindowBytesStoreSupplier {
  readonly name: string;
  readonly metricsScope: string;
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates: boolean;
  readonly segmentIntervalMs: number;
  get(): SegmentedWindowBytesStore;
}

/** Supplies the innermost bytes store of a session store (Kafka Streams' `SessionBytesStoreSupplier`). */
export interface SessionBytesStoreSupplier {
  readonly name: string;
  readonly metricsScope: string;
  readonly retentionMs: number;
  readonly segmentIntervalMs: number;
  get(): SegmentedSessionBytesStore;
}
