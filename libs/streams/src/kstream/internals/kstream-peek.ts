import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { ForeachAction } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/** `peek` (forwards) and `foreach` (terminal) (Kafka Streams' `KStreamPeek`). */
export class KStreamPeek<K, V> implements ProcessorSupplier<K, V, K, V> {
  constructor(
    private readonly action: ForeachAction<K, V>,
    private readonly forwardDownstream: boolean,
  ) {}

  get(): ContextualProcessor<K, V, K, V> {
    const { action, forwardDownstream } = this;
    return new (class extends ContextualProcessor<K, V, K, V> {
      process(record: Record<K, V>): void {
        action(record.key, record.value);
        if (forwardDownstream) this.context.forward(record);
      }
    })();
  }
}
