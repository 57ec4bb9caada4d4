import { Serde } from '../serialization/serde';
import { Cancellable, Punctuator, PunctuationType } from './punctuation';
import { Record } from './record';
import { RecordMetadata } from './record-metadata';
import { StateStore, TaskId } from './state-store';

/** What a processor sees of its task (Kafka Streams' `api.ProcessorContext`). */
export interface ProcessorContext<KForward = unknown, VForward = unknown> {
  /** The application id (consumer group, internal topic prefix). */
  readonly applicationId: string;
  readonly taskId: TaskId;
  /** Topic, partition and offset of the record being processed; `null` in a punctuation. */
  recordMetadata(): RecordMetadata | null;
  /** Sends a record to every child, or only to the child named `childName`. */
  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void;
  /** Runs `punctuator` every `intervalMs` of stream time or wall-clock time. */
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** A state store connected to this processor. Throws when it is not connected. */
  getStateStore<S extends StateStore>(name: string): S;
  /**
   * Asks for a commit as soon as possible. In a topology with state stores the stream thread
   * commits (flushing every store, then the producer, then the offsets) before it processes the
   * next record: a store or sink that buffers writes bounds its memory by asking when it is full.
   */
  commit(): void;
  /** The largest record timestamp this task has seen (-1 before the first). */
  currentStreamTimeMs(): number;
  /** The current wall-clock time of the task (mocked in the test driver). */
  currentSystemTimeMs(): number;
  /** Default key serde from the config. */
  keySerde(): Serde<unknown>;
  /** Default value serde from the config. */
  valueSerde(): Serde<unknown>;
}
