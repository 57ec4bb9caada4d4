import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { KTableParent, KTableValueGetterSupplier } from './ktable-processor-supplier';

/**
 * The merge node of a cogrouped aggregation (Kafka Streams' `KTablePassThrough`): forwards the
 * updates of every aggregate processor; its view is the shared store, and asking it for old values
 * asks every aggregate processor.
 */
export class KTablePassThrough<K, V>
  implements ProcessorSupplier<K, Change<V>, K, Change<V>>, KTableParent<K, V>
{
  constructor(private readonly parents: ReadonlyArray<KTableParent<K, V>>) {
    if (parents.length === 0) throw new Error('KTablePassThrough: at least one parent is needed');
  }

  get(): ContextualProcessor<K, Change<V>, K, Change<V>> {
    return new (class extends ContextualProcessor<K, Change<V>, K, Change<V>> {
      process(record: Record<K, Change<V>>): void {
        this.context.forward(record);
      }
    })();
  }

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    let all = true;
    for (const p of this.parents) all = p.enableSendingOldValues(forceMaterialization) && all;
    return all;
  }

  view(): KTableValueGetterSupplier<K, V> {
    return this.parents[0]!.view();
  }
}
