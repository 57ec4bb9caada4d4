import type { ProcessorContext } from '../processor-context';
import type { RecordContext } from '../record-context';
import type { ProcessingTask } from './processing-task';

/** The context as the runtime's processor nodes see it: the public context plus their task's narrow interface. */
export interface InternalProcessorContext extends ProcessorContext<unknown, unknown> {
  readonly task: ProcessingTask;
  /** The current record's context, or a punctuation's (no topic, stream time). */
  recordContext(): RecordContext;
}
