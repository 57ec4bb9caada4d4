import { StreamsError } from '../errors/streams-error';
import { KeyValue } from '../kstream/key-value';
import { OutgoingRecord } from '../processor/internals/record-collector';
import { Serde } from '../serialization/serde';
import { TestRecord } from './test-record';

/** Reads what the topology wrote to a topic, in order (Kafka Streams' `TestOutputTopic`). */
export class TestOutputTopic<K, V> {
  constructor(
    readonly topic: string,
    private readonly queue: OutgoingRecord[],
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  /** Reads and removes the next record; throws when the topic is empty. */
  readRecord(): TestRecord<K, V> {
    const r = this.queue.shift();
    if (!r) throw new StreamsError(`No more records in output topic "${this.topic}"`);
    return new TestRecord(
      this.keySerde.deserializer().deserialize(this.topic, r.key, r.headers),
      this.valueSerde.deserializer().deserialize(this.topic, r.value, r.headers),
      r.timestamp,
      r.headers,
    );
  }

  readKeyValue(): KeyValue<K | null, V | null> {
    const r = this.readRecord();
    return KeyValue.pair(r.key, r.value);
  }

  readValue(): V | null {
    return this.readRecord().value;
  }

  readRecordsToList(): TestRecord<K, V>[] {
    const out: TestRecord<K, V>[] = [];
    while (this.queue.length) out.push(this.readRecord());
    return out;
  }

  readKeyValuesToList(): KeyValue<K | null, V | null>[] {
    return this.readRecordsToList().map((r) => KeyValue.pair(r.key, r.value));
  }

  readValuesToList(): Array<V | null> {
    return this.readRecordsToList().map((r) => r.value);
  }

  /** Records not read yet. */
  getQueueSize(): number {
    return this.queue.length;
  }

  isEmpty(): boolean {
    return this.queue.length === 0;
  }
}
