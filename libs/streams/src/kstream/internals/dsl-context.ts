import { ProcessorContext } from '../../processor/processor-context';
import type { ProcessorContextImpl } from '../../processor/internals/processor-context-impl';
import type { DropReason } from '../../processor/internals/task-sensors';
import type { ProcessorNode } from '../../processor/internals/processor-nodes';
import type { Record } from '../../processor/record';
import { Serde } from '../../serialization/serde';
import { DeferredSerde } from './deferred-serde';

type RuntimeContext = Partial<Pick<ProcessorContextImpl, 'currentNode' | 'task'>>;

/** The runtime node of the processor being initialized (to forward as it from a cache flush). */
export function currentNodeOf(context: ProcessorContext<unknown, unknown>): ProcessorNode | null {
  return (context as RuntimeContext).currentNode ?? null;
}

/**
 * Runs `fn` as if `node` were processing (Kafka Streams sets the current node the same way before
 * a cache flush listener forwards): a flush happens on commit or on another processor's eviction.
 */
export function asNode(
  context: ProcessorContext<unknown, unknown>,
  node: ProcessorNode | null,
  fn: () => void,
): void {
  const rc = context as RuntimeContext;
  if (node === null || !('currentNode' in rc)) return fn();
  const previous = rc.currentNode ?? null;
  rc.currentNode = node;
  try {
    fn();
  } finally {
    rc.currentNode = previous;
  }
}

/** `asNode(context, node, () => context.forward(record))` without a closure per record (a cache flush forwards many). */
export function forwardAsNode<K, V>(
  context: ProcessorContext<K, V>,
  node: ProcessorNode | null,
  record: Record<K, V>,
): void {
  const rc = context as RuntimeContext;
  if (node === null || !('currentNode' in rc)) return context.forward(record);
  const previous = rc.currentNode ?? null;
  rc.currentNode = node;
  try {
    context.forward(record);
  } finally {
    rc.currentNode = previous;
  }
}

/** Counts a record the DSL dropped in `kafka_stream_dropped_records_total{reason}`. */
export function recordDropped(context: ProcessorContext<unknown, unknown>, reason: DropReason): void {
  (context as RuntimeContext).task?.recordDropped(reason);
}

/**
 * Counts a record dropped for a closed window (`reason="late"`) and logs it as Kafka Streams'
 * window aggregations do ("Skipping record for expired window"): where it was read, its timestamp,
 * the window, the expiration (close) time and stream time; never its key or value.
 */
export function recordLate(
  context: ProcessorContext<unknown, unknown>,
  timestamp: number,
  window: { start: number; end: number },
  closeTime: number,
  streamTime: number,
): void {
  const m = context.recordMetadata();
  (context as RuntimeContext).task?.recordDropped('late', {
    message: 'Skipping record for expired window',
    fields: {
      topic: m?.topic ?? null,
      partition: m?.partition ?? null,
      offset: m?.offset ?? null,
      timestamp,
      windowStart: window.start,
      windowEnd: window.end,
      expiration: closeTime,
      streamTime,
    },
  });
}

/** Binds deferred serdes to the config's defaults when a processor starts. */
export function bindDefaultSerdes(
  context: ProcessorContext<unknown, unknown>,
  keySerde: Serde<unknown> | undefined,
  valueSerde: Serde<unknown> | undefined,
): void {
  if (keySerde instanceof DeferredSerde) keySerde.bindDefault(context.keySerde());
  if (valueSerde instanceof DeferredSerde) valueSerde.bindDefault(context.valueSerde());
}
