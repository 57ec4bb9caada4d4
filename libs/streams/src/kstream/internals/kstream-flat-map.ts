import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { KeyValueLike, KeyValueMapper } from '../kstream';
import { ContextualProcessor } from './contextual-processor';
import { toPair } from './kstream-map';

/** `flatMap` (Kafka Streams' `KStreamFlatMap`). */
export class KStreamFlatMap<K, V, KR, VR> implements ProcessorSupplier<K, V, KR, VR> {
  constructor(private readonly mapper: KeyValueMapper<K, V, Iterable<KeyValueLike<KR, VR>>>) {}

  get(): ContextualProcessor<K, V, KR, VR> {
    const mapper = this.mapper;
    return new (class extends ContextualProcessor<K, V, KR, VR> {
      process(record: Record<K, V>): void {
        for (const kv of mapper(record.key, record.value)) {
          const [key, value] = toPair(kv, 'flatMap');
          this.context.forward(new Record(key, value, record.timestamp, record.headers));
        }
      }
    })();
  }
}
