import { ProcessorContext } from './processor-context';
import { Record } from './record';
import { StoreBuilder } from './store-builder';

/** A node of the processor graph (Kafka Streams' `api.Processor`). */
export interface Processor<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> {
  /** Called once when the task starts, before any record. */
  init?(context: ProcessorContext<KOut, VOut>): void;
  /** Called for every record, synchronously, in offset order per partition. */
  process(record: Record<KIn, VIn>): void;
  /** Called when the task closes. */
  close?(): void;
}

/** Creates one processor per task. Optional `stores()` connects stores to it (issue 4). */
export interface ProcessorSupplier<KIn = unknown, VIn = unknown, KOut = unknown, VOut = unknown> {
  get(): Processor<KIn, VIn, KOut, VOut>;
  stores?(): StoreBuilder[];
}
