import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { KeyValueMapper } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/** `selectKey` (Kafka Streams runs it as a `KStreamMap` named `KSTREAM-KEY-SELECT`). */
export class KStreamSelectKey<K, V, KR> implements ProcessorSupplier<K, V, KR, V> {
  constructor(private readonly mapper: KeyValueMapper<K, V, KR>) {}

  get(): ContextualProcessor<K, V, KR, V> {
    const mapper = this.mapper;
    return new (class extends ContextualProcessor<K, V, KR, V> {
      process(record: Record<K, V>): void {
        this.context.forward(record.withKey(mapper(record.key, record.value)));
      }
    })();
  }
}
