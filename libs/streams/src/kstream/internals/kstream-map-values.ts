import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { ValueMapper } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/** `mapValues` (Kafka Streams' `KStreamMapValues`). */
export class KStreamMapValues<K, V, VR> implements ProcessorSupplier<K, V, K, VR> {
  constructor(private readonly mapper: ValueMapper<K, V, VR>) {}

  get(): ContextualProcessor<K, V, K, VR> {
    const mapper = this.mapper;
    return new (class extends ContextualProcessor<K, V, K, VR> {
      process(record: Record<K, V>): void {
        this.context.forward(record.withValue(mapper(record.value, record.key)));
      }
    })();
  }
}
