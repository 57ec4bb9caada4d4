import type { ProcessorContext } from '../../processor/processor-context';
import type { DropReason } from '../../processor/internals/stream-task';

/**
 * Counts a record a DSL processor skipped (`kafka_stream_dropped_records_total{reason}`), when the
 * context belongs to a task (the runtime's and the test driver's do).
 */
export function recordDropped(context: ProcessorContext<any, any>, reason: DropReason): void {
  (context as { recordDropped?: (r: DropReason) => void }).recordDropped?.(reason);
}
