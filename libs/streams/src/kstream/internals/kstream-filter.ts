import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { Predicate } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/** `filter` / `filterNot` (Kafka Streams' `KStreamFilter`). */
export class KStreamFilter<K, V> implements ProcessorSupplier<K, V, K, V> {
  constructor(
    private readonly predicate: Predicate<K, V>,
    private readonly filterNot: boolean,
  ) {}

  get(): ContextualProcessor<K, V, K, V> {
    const { predicate, filterNot } = this;
    return new (class extends ContextualProcessor<K, V, K, V> {
      process(record: Record<K, V>): void {
        if (predicate(record.key, record.value) !== filterNot) this.context.forward(record);
      }
    })();
  }
}
