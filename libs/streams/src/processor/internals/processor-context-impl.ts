import { StreamsError } from '../../errors/streams-error';
import { Headers, Serde } from '../../serialization/serde';
import { Cancellable, Punctuator, PunctuationType } from '../punctuation';
import { Record } from '../record';
import { RecordContext } from '../record-context';
import { RecordMetadata } from '../record-metadata';
import { StateStore, TaskId } from '../state-store';
import { ProcessorNode, ProcessorNodeImpl } from './processor-nodes';
import type { InternalProcessorContext } from './internal-processor-context';
import type { ProcessingTask } from './processing-task';

/** The one context object of a task; tracks the node currently processing (Kafka's `ProcessorContextImpl`). */
export class ProcessorContextImpl implements InternalProcessorContext {
  currentNode: ProcessorNode | null = null;
  /** Context of the record being processed; `null` during punctuation. */
  current: RecordContext | null = null;
  /**
   * Headers of the record the current node is processing, as forwarded to it (Kafka Streams' record
   * context, which `forward` points at each forwarded record's headers); `undefined` in a
   * punctuation until it forwards. Caching stores keep them with a write (see `StateStoreContext.currentHeaders`).
   */
  currentHeaders: Headers | undefined = undefined;

  constructor(readonly task: ProcessingTask) {}

  get applicationId(): string {
    return this.task.applicationId;
  }
  get taskId(): TaskId {
    return this.task.id;
  }

  recordMetadata(): RecordMetadata | null {
    const c = this.current;
    return c && c.topic !== null ? { topic: c.topic, partition: c.partition, offset: c.offset } : null;
  }

  recordContext(): RecordContext {
    return (
      this.current ?? {
        topic: null,
        partition: this.task.id.partition,
        offset: -1,
        timestamp: this.task.streamTime,
        headers: {},
      }
    );
  }

  forward(record: Record<unknown, unknown>, childName?: string): void {
    const node = this.currentNode;
    if (!node) throw new StreamsError('forward() called outside of process() or a punctuation');
    const headers = this.currentHeaders;
    this.currentHeaders = record.headers;
    if (childName !== undefined) {
      const child = node.childByName.get(childName);
      if (!child) {
        this.currentHeaders = headers;
        throw new StreamsError(`Node "${node.name}" has no child named "${childName}"`);
      }
      this.currentNode = child;
      try {
        child.process(record);
      } finally {
        this.currentNode = node;
        this.currentHeaders = headers;
      }
      return;
    }
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      this.currentNode = child;
      child.process(record);
    }
    this.currentNode = node;
    this.currentHeaders = headers;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!(intervalMs >= 1))
      throw new StreamsError(`Punctuation interval must be at least 1 ms, got ${intervalMs}`);
    const node = this.currentNode;
    if (!node)
      throw new StreamsError('schedule() must be called from a processor (init, process or punctuate)');
    // the punctuator runs as its node, outside of any record (Kafka Streams' punctuation context)
    return this.task.schedule(node.name, intervalMs, type, (timestamp) => {
      this.currentNode = node;
      this.current = null;
      this.currentHeaders = undefined;
      try {
        punctuator(timestamp);
      } finally {
        this.currentNode = null;
        this.currentHeaders = undefined;
      }
    });
  }

  getStateStore<S extends StateStore>(name: string): S {
    // Global stores are visible to every processor without being connected (as in Kafka Streams).
    const global = this.task.getGlobalStore(name);
    if (global) return global as S;
    const node = this.currentNode;
    if (node instanceof ProcessorNodeImpl && !node.storeNames.includes(name)) {
      throw new StreamsError(
        `Processor "${node.name}" has no access to state store "${name}"; connect it with addStateStore/connectProcessorAndStateStores`,
      );
    }
    const store = this.task.getStore(name);
    if (!store) throw new StreamsError(`State store "${name}" does not exist in task ${this.task.id}`);
    return store as S;
  }

  commit(): void {
    this.task.requestCommit();
  }

  currentStreamTimeMs(): number {
    return this.task.streamTime;
  }

  currentSystemTimeMs(): number {
    return this.task.time();
  }

  keySerde(): Serde<unknown> {
    return this.task.defaultKeySerde;
  }

  valueSerde(): Serde<unknown> {
    return this.task.defaultValueSerde;
  }
}
