import { ProcessorSupplier } from '../../processor/processor';
import { Record } from '../../processor/record';
import { Predicate } from '../kstream';
import { ContextualProcessor } from './contextual-processor';

/**
 * Sends each record to the child of the first matching predicate (Kafka Streams' `KStreamBranch`).
 * The lists are filled while the topology is built and read when tasks are created.
 */
export class KStreamBranch<K, V> implements ProcessorSupplier<K, V, K, V> {
  constructor(
    readonly predicates: Predicate<K, V>[],
    readonly childNames: string[],
  ) {}

  get(): ContextualProcessor<K, V, K, V> {
    const predicates = [...this.predicates];
    const children = [...this.childNames];
    return new (class extends ContextualProcessor<K, V, K, V> {
      process(record: Record<K, V>): void {
        for (let i = 0; i < predicates.length; i++) {
          if (predicates[i](record.key, record.value)) {
            this.context.forward(record, children[i]);
            return;
          }
        }
      }
    })();
  }
}
