import { Processor } from '../../processor/processor';
import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';

/** Base of the DSL's processors: keeps the context (Kafka Streams' `ContextualProcessor`). */
export abstract class ContextualProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  protected context!: ProcessorContext<KOut, VOut>;

  init(context: ProcessorContext<KOut, VOut>): void {
    this.context = context;
  }

  abstract process(record: Record<KIn, VIn>): void;
}
