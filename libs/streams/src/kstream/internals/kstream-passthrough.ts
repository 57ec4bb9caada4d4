import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { ContextualProcessor } from './contextual-processor';

/** Forwards every record unchanged (merge and branch children; Kafka Streams' `PassThrough`). */
export class KStreamPassThrough<K, V> implements ProcessorSupplier<K, V, K, V> {
  get(): ContextualProcessor<K, V, K, V> {
    return new (class extends ContextualProcessor<K, V, K, V> {
      process(record: Record<K, V>): void {
        this.context.forward(record);
      }
    })();
  }
}
