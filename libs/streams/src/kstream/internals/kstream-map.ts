import { StreamsError } from '../../errors/streams-error';
import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { KeyValue } from '../key-value';
import { KeyValueLike, KeyValueMapper } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/** Reads a `KeyValue` or a `[key, value]` tuple. */
export function toPair<K, V>(kv: KeyValueLike<K, V>, op: string): [K, V] {
  if (kv instanceof KeyValue) return [kv.key, kv.value];
  if (Array.isArray(kv) && kv.length === 2) return kv as [K, V];
  throw new StreamsError(`${op}: the mapper must return a KeyValue or a [key, value] tuple`);
}

/** `map` (Kafka Streams' `KStreamMap`). */
export class KStreamMap<K, V, KR, VR> implements ProcessorSupplier<K, V, KR, VR> {
  constructor(private readonly mapper: KeyValueMapper<K, V, KeyValueLike<KR, VR>>) {}

  get(): ContextualProcessor<K, V, KR, VR> {
    const mapper = this.mapper;
    return new (class extends ContextualProcessor<K, V, KR, VR> {
      process(record: Record<K, V>): void {
        const kv = mapper(record.key, record.value);
        // A KeyValue is read as it is (no pair array per record).
        if (kv instanceof KeyValue) {
          this.context.forward(new Record(kv.key, kv.value, record.timestamp, record.headers));
          return;
        }
        const [key, value] = toPair(kv, 'map');
        this.context.forward(new Record(key, value, record.timestamp, record.headers));
      }
    })();
  }
}
