import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { Printed } from '../printed';
import { ContextualProcessor } from './contextual-processor';

/** `print`: writes `[label]: key, value` per record (Kafka Streams' `KStreamPrint`). */
export class KStreamPrint<K, V> implements ProcessorSupplier<K, V, never, never> {
  constructor(
    private readonly printed: Printed<K, V>,
    private readonly defaultLabel: string,
  ) {}

  get(): ContextualProcessor<K, V, never, never> {
    const { sink, label, mapper } = this.printed;
    const prefix = `[${label ?? this.defaultLabel}]: `;
    return new (class extends ContextualProcessor<K, V, never, never> {
      process(record: Record<K, V>): void {
        const text = mapper ? mapper(record.key, record.value) : `${show(record.key)}, ${show(record.value)}`;
        sink(prefix + text);
      }
    })();
  }
}

function show(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (Buffer.isBuffer(x)) return x.toString('hex');
  if (typeof x === 'object') return JSON.stringify(x);
  return String(x);
}
