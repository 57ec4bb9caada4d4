import { StreamsError } from '../../errors/streams-error';
import { ProcessorContext } from '../../processor/processor-context';
import { Record } from '../../processor/record';
import { StoreBuilder } from '../../processor/store-builder';
import { Serde } from '../../serialization/serde';
import {
  BufferedChange,
  InMemoryTimeOrderedBuffer,
} from '../../state/internals/in-memory-time-ordered-buffer';
import { changelogTopicName } from '../../state/internals/forwarding-context';
import { Windowed } from '../../state/window';
import { SuppressedFields } from '../suppressed';
import { Change } from './change';
import { ContextualProcessor } from './contextual-processor';
import { DeferredSerde } from './deferred-serde';
import { bindDefaultSerdes } from './dsl-context';
import {
  KTableParent,
  KTableProcessorSupplier,
  KTableValueGetter,
  KTableValueGetterSupplier,
} from './ktable-processor-supplier';
import { UNKNOWN_TIMESTAMP } from './ktable-ktable-abstract-join';
import { valueAndTimestamp } from '../../state/value-and-timestamp';

/** Builds the suppression buffer; its changelog is `<applicationId>-<name>-changelog` (compacted). */
export class SuppressionBufferBuilder implements StoreBuilder<InMemoryTimeOrderedBuffer> {
  readonly loggingEnabled = true;
  readonly logConfig: Readonly<{ [config: string]: string }> = { 'cleanup.policy': 'compact' };
  constructor(readonly name: string) {}
  build(): InMemoryTimeOrderedBuffer {
    return new InMemoryTimeOrderedBuffer(this.name, this.loggingEnabled);
  }
}

/**
 * `KTable.suppress` (Kafka Streams' `KTableSuppressProcessorSupplier`): buffers each key's latest
 * change and emits it once stream time (the largest timestamp seen here) reaches its buffer time
 * plus the suppression duration: for `untilWindowCloses` the window end plus the upstream grace
 * (final results only, deletes dropped), for `untilTimeLimit` the first buffered update's timestamp
 * plus the limit. A full buffer emits its oldest keys early or stops the task.
 */
export class KTableSuppress<K, V> implements KTableProcessorSupplier<K, V, K, V> {
  constructor(
    private readonly parent: KTableParent<K, V>,
    private readonly storeName: string,
    private readonly fields: SuppressedFields,
    /** For `untilWindowCloses`: the grace (plus gap for sessions) of the windowed aggregation upstream. */
    private readonly suppressDurationMs: number,
    private readonly keySerde: DeferredSerde<K>,
    private readonly valueSerde: DeferredSerde<V>,
  ) {
    // The buffer keeps each buffered key's prior value (the old value of its first buffered update)
    // for the view below, so the parent must send old values (as Kafka Streams forces it to).
    parent.enableSendingOldValues(true);
  }

  enableSendingOldValues(forceMaterialization: boolean): boolean {
    return this.parent.enableSendingOldValues(forceMaterialization);
  }

  /**
   * The suppressed table's values, as downstream has seen them: for a buffered key its value before
   * its first buffered update (Kafka Streams' `priorValueForBuffered`, with an unknown timestamp),
   * otherwise the parent's current value. Joins against the suppressed table read this view.
   */
  view(): KTableValueGetterSupplier<K, V> {
    const parent = this.parent.view();
    const { storeName, keySerde, valueSerde } = this;
    return {
      storeNames: () => [storeName, ...parent.storeNames()],
      get: (): KTableValueGetter<K, V> => {
        const getter = parent.get();
        let buffer!: InMemoryTimeOrderedBuffer;
        let topic = '';
        return {
          init: (context) => {
            getter.init(context);
            bindDefaultSerdes(context, keySerde, valueSerde);
            buffer = context.getStateStore<InMemoryTimeOrderedBuffer>(storeName);
            topic = changelogTopicName(context.applicationId, storeName);
          },
          get: (key) => {
            const bytes = keySerde.serializer().serialize(topic, key);
            const prior = bytes === null ? undefined : buffer.priorValueForBuffered(bytes);
            if (prior === undefined) return getter.get(key);
            if (prior.value === null) return null;
            return valueAndTimestamp(
              valueSerde.deserializer().deserialize(topic, prior.value) as V,
              UNKNOWN_TIMESTAMP,
            );
          },
        };
      },
    };
  }

  get(): ContextualProcessor<K, Change<V>, K, Change<V>> {
    return new (class extends ContextualProcessor<K, Change<V>, K, Change<V>> {
      private buffer!: InMemoryTimeOrderedBuffer;
      private observedStreamTime = -1;
      private topic = '';
      private readonly windowClose: boolean;

      constructor(private readonly self: KTableSuppress<K, V>) {
        super();
        this.windowClose = self.fields.kind === 'window-close';
      }

      override init(context: ProcessorContext<K, Change<V>>): void {
        super.init(context);
        bindDefaultSerdes(context, this.self.keySerde, this.self.valueSerde);
        this.buffer = context.getStateStore<InMemoryTimeOrderedBuffer>(this.self.storeName);
        this.topic = changelogTopicName(context.applicationId, this.self.storeName);
      }

      process(record: Record<K, Change<V>>): void {
        const self = this.self;
        this.observedStreamTime = Math.max(this.observedStreamTime, record.timestamp);
        const time = this.windowClose
          ? // windowClose is set by untilWindowCloses only, on a windowed table: its keys are Windowed
            windowEndOf(record.key, self.storeName)
          : record.timestamp;
        const ser = <T>(s: Serde<T>, v: T | null) =>
          v === null ? null : s.serializer().serialize(this.topic, v);
        const key = ser(self.keySerde, record.key);
        if (key === null)
          throw new StreamsError(`suppress ${self.storeName}: the key serializer returned null`);
        this.buffer.put(
          time,
          key,
          ser(self.valueSerde, record.value.oldValue),
          ser(self.valueSerde, record.value.newValue),
          record.timestamp,
          record.headers,
        );
        this.enforceConstraints();
      }

      private enforceConstraints(): void {
        const self = this.self;
        const expiry = this.observedStreamTime - self.suppressDurationMs;
        this.buffer.evictWhile(
          () => this.buffer.minTimestamp <= expiry,
          (c) => this.emit(c),
        );
        const { maxRecords, maxBytes, strategy } = self.fields.buffer.fields;
        const over = () => this.buffer.numRecords > maxRecords || this.buffer.bufferSize > maxBytes;
        if (!over()) return;
        if (strategy === 'emit-early') {
          this.buffer.evictWhile(over, (c) => this.emit(c));
          return;
        }
        throw new StreamsError(
          `suppress ${self.storeName}: buffer exceeded its max capacity. Currently [${this.buffer.numRecords}/${maxRecords}] records and [${this.buffer.bufferSize}/${maxBytes}] bytes`,
        );
      }

      private emit(c: BufferedChange): void {
        const self = this.self;
        const de = (b: Buffer | null) =>
          b === null ? null : (self.valueSerde.deserializer().deserialize(this.topic, b) as V);
        const newValue = de(c.newValue);
        if (newValue === null && this.windowClose) return; // final results: deletes are safe to drop
        const key = self.keySerde.deserializer().deserialize(this.topic, c.key) as K;
        // The latest update's timestamp and headers, as Kafka Streams forwards the buffered record context.
        this.context.forward(
          new Record(key, new Change<V>(newValue, de(c.oldValue)), c.timestamp, c.headers),
        );
      }
    })(this);
  }
}

/** The end of a windowed table's key's window (`untilWindowCloses` on a table of another kind is a bug). */
function windowEndOf(key: unknown, storeName: string): number {
  if (!(key instanceof Windowed))
    throw new StreamsError(
      `suppress ${storeName}: untilWindowCloses needs a windowed table, got a key that is not Windowed`,
    );
  return key.window().end();
}
