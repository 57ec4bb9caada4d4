import { ProductionError } from '../../errors/production-error';
import { HandlerResponse } from '../../errors/error-handler-context';
import { SerializationOrigin } from '../../errors/production-exception-handler';
import { Deserializer, Serializer } from '../../serialization/serde';
import { isStringSerde } from '../../serialization/serdes';
import { Processor } from '../processor';
import { Record } from '../record';
import { StreamPartitioner } from '../stream-partitioner';
import { TimestampExtractor } from '../timestamp-extractor';
import { TopicNameExtractor } from '../topic-name-extractor';
import type { InternalProcessorContext } from './internal-processor-context';

/** A runtime node of one task's processor graph. */
export abstract class ProcessorNode {
  readonly children: ProcessorNode[] = [];
  readonly childByName = new Map<string, ProcessorNode>();
  protected context!: InternalProcessorContext;

  constructor(readonly name: string) {}

  addChild(child: ProcessorNode): void {
    this.children.push(child);
    this.childByName.set(child.name, child);
  }

  init(context: InternalProcessorContext): void {
    this.context = context;
  }

  abstract process(record: Record<unknown, unknown>): void;

  close(): void {}
}

/** Reads a topic: deserializers and timestamp extractor; forwards to its children. */
export class SourceNode extends ProcessorNode {
  constructor(
    name: string,
    readonly topics: readonly string[],
    readonly pattern: RegExp | undefined,
    readonly keyDeserializer: Deserializer<unknown>,
    readonly valueDeserializer: Deserializer<unknown>,
    readonly timestampExtractor: TimestampExtractor,
  ) {
    super(name);
  }

  process(record: Record<unknown, unknown>): void {
    this.context.forward(record);
  }
}

/** Runs a user or DSL `Processor`. */
export class ProcessorNodeImpl extends ProcessorNode {
  constructor(
    name: string,
    readonly processor: Processor<unknown, unknown, unknown, unknown>,
    readonly storeNames: readonly string[],
  ) {
    super(name);
  }

  override init(context: InternalProcessorContext): void {
    super.init(context);
    this.processor.init?.(context);
  }

  process(record: Record<unknown, unknown>): void {
    this.processor.process(record);
  }

  override close(): void {
    this.processor.close?.();
  }
}

/**
 * Serializes records and hands them to the record collector. With the built-in String key serde, a
 * key equal to the previous record's gets the previous record's key bytes again (a window store's
 * flush forwards the windows of one key in a row): the bytes are never written after they are
 * made, and the collector, the client and the error handlers only read them.
 */
export class SinkNode extends ProcessorNode {
  /** Whether the key serializer is the built-in String serde's (its bytes depend only on the string). */
  private readonly stringKeys: boolean;
  /** The last string key serialized and its bytes (String key serde only). */
  private lastKey: string | undefined;
  private lastKeyBytes: Buffer | null = null;

  constructor(
    name: string,
    readonly topic: string | undefined,
    readonly extractor: TopicNameExtractor<unknown, unknown> | undefined,
    readonly keySerializer: Serializer<unknown>,
    readonly valueSerializer: Serializer<unknown>,
    readonly partitioner: StreamPartitioner<unknown, unknown> | undefined,
    private readonly decorate: (topic: string) => string,
  ) {
    super(name);
    this.stringKeys = isStringSerde(keySerializer);
  }

  process(record: Record<unknown, unknown>): void {
    const ctx = this.context;
    const topic = this.topic ?? this.decorate(this.extractor!(record.key, record.value, ctx.recordContext()));
    let key: Buffer | null;
    let value: Buffer | null;
    let origin = SerializationOrigin.KEY;
    try {
      key = this.serializeKey(topic, record);
      origin = SerializationOrigin.VALUE;
      value = this.valueSerializer.serialize(topic, record.value, record.headers);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const response = ctx.task.handleSerializationError(this.name, topic, record, error, origin);
      if (response === HandlerResponse.FAIL) {
        throw new ProductionError(
          `Serializing the ${origin.toLowerCase()} for topic "${topic}" failed in sink "${this.name}"`,
          { cause: error },
        );
      }
      return;
    }
    let partition: number | undefined;
    if (this.partitioner) {
      const n = ctx.task.partitionsFor(topic);
      partition = this.partitioner.partition(topic, record.key, record.value, n);
      if (partition !== undefined && (partition < 0 || partition >= n || !Number.isInteger(partition))) {
        throw new ProductionError(
          `Partitioner of sink "${this.name}" returned partition ${partition}; topic "${topic}" has ${n}`,
        );
      }
    }
    ctx.task.send(this.name, topic, partition, key, value, record.timestamp, record.headers);
  }

  private serializeKey(topic: string, record: Record<unknown, unknown>): Buffer | null {
    const key = record.key;
    if (!this.stringKeys || typeof key !== 'string')
      return this.keySerializer.serialize(topic, key, record.headers);
    if (key === this.lastKey) return this.lastKeyBytes;
    const bytes = this.keySerializer.serialize(topic, key, record.headers);
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return bytes;
  }
}
