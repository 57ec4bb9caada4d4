import { Processor, ProcessorSupplier } from '../../processor/processor';
import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { ValueTransformer, ValueTransformerSupplier, ValueTransformerWithKey } from '../value-transformer';

/** `transformValues` (Kafka Streams' `KStreamTransformValues`): a value transformer run as a processor. */
export class KStreamTransformValues<K, V, VR> implements ProcessorSupplier<K, V, K, VR> {
  constructor(private readonly supplier: ValueTransformerSupplier<K, V, VR>) {}

  get(): Processor<K, V, K, VR> {
    const transformer = this.supplier.get();
    if (!transformer || typeof transformer.transform !== 'function') {
      throw new Error('transformValues: the supplier must return a new object with a transform() method');
    }
    const withKey = transformer.transform.length >= 2;
    let context!: ProcessorContext<K, VR>;
    return {
      init(ctx: ProcessorContext<K, VR>) {
        context = ctx;
        transformer.init?.(ctx);
      },
      process(record: Record<K, V>) {
        const value = withKey
          ? (transformer as ValueTransformerWithKey<K, V, VR>).transform(record.key, record.value)
          : (transformer as ValueTransformer<V, VR>).transform(record.value);
        context.forward(record.withValue(value));
      },
      close() {
        transformer.close?.();
      },
    };
  }
}

/**
 * `processValues` (Kafka Streams' `KStreamProcessValues`): a processor that may change values only;
 * every forwarded record keeps the key of the record being processed, so no repartitioning is needed.
 */
export class KStreamProcessValues<K, V, VR> implements ProcessorSupplier<K, V, K, VR> {
  constructor(private readonly supplier: ProcessorSupplier<K, V, K, VR>) {}

  get(): Processor<K, V, K, VR> {
    const inner = this.supplier.get();
    let currentKey: K | undefined;
    let inRecord = false;
    return {
      init(ctx: ProcessorContext<K, VR>) {
        const fixed: ProcessorContext<K, VR> = Object.create(ctx);
        fixed.forward = <K2 extends K, V2 extends VR>(r: Record<K2, V2>, child?: string) => {
          if (inRecord && r.key !== currentKey)
            throw new Error('processValues: a processor must not change the key (use process() instead)');
          ctx.forward(r, child);
        };
        inner.init?.(fixed);
      },
      process(record: Record<K, V>) {
        currentKey = record.key;
        inRecord = true;
        try {
          inner.process(record);
        } finally {
          inRecord = false;
        }
      },
      close() {
        inner.close?.();
      },
    };
  }
}
