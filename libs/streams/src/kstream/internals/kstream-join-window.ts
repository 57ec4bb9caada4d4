import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import type { WindowStore } from '../../state/window-store';
import { ContextualProcessor } from './contextual-processor';

/**
 * Forwards each record to the join processor, then remembers it in this side's window store
 * (at its timestamp) for the other side to find (Kafka Streams' `KStreamJoinWindow`).
 */
export class KStreamJoinWindow<K, V> implements ProcessorSupplier<K, V, K, V> {
  constructor(private readonly windowName: string) {}

  get(): ContextualProcessor<K, V, K, V> {
    const windowName = this.windowName;
    return new (class extends ContextualProcessor<K, V, K, V> {
      private window!: WindowStore<K, V>;
      override init(context: ContextualProcessor<K, V, K, V>['context']): void {
        super.init(context);
        this.window = context.getStateStore<WindowStore<K, V>>(windowName);
      }
      process(record: Record<K, V>): void {
        this.context.forward(record);
        // Null keys never join; null values are skipped by the join processor.
        if (
          record.key !== null &&
          record.key !== undefined &&
          record.value !== null &&
          record.value !== undefined
        )
          this.window.put(record.key, record.value, record.timestamp);
      }
    })();
  }
}
