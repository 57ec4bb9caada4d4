import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { ValueMapper } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/** `flatMapValues` (Kafka Streams' `KStreamFlatMapValues`). */
export class KStreamFlatMapValues<K, V, VR> implements ProcessorSupplier<K, V, K, VR> {
  constructor(private readonly mapper: ValueMapper<K, V, Iterable<VR>>) {}

  get(): ContextualProcessor<K, V, K, VR> {
    const mapper = this.mapper;
    return new (class extends ContextualProcessor<K, V, K, VR> {
      process(record: Record<K, V>): void {
        for (const value of mapper(record.value, record.key)) this.context.forward(record.withValue(value));
      }
    })();
  }
}
