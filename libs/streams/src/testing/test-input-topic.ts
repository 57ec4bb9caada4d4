import { Headers, Serde } from '../serialization/serde';
import { TestRecord } from './test-record';

/** What an input topic needs of the test driver: piping raw records in, and its wall clock. */
export interface RawRecordPipe {
  pipeRaw(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void;
  wallClockTimeMs(): number;
}

/** Pipes records into a source topic of the driver (Kafka Streams' `TestInputTopic`). */
export class TestInputTopic<K, V> {
  constructor(
    private readonly driver: RawRecordPipe,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  /** Pipes one record; the timestamp defaults to the driver's wall-clock time. */
  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = {}): void {
    const k = this.keySerde.serializer().serialize(this.topic, key, headers);
    const v = this.valueSerde.serializer().serialize(this.topic, value, headers);
    this.driver.pipeRaw(this.topic, k, v, timestamp ?? this.driver.wallClockTimeMs(), headers);
  }

  /** Pipes a value with a null key. */
  pipeValue(value: V | null, timestamp?: number): void {
    this.pipeInput(null, value, timestamp);
  }

  /** Pipes several records in order. */
  pipeRecordList(
    records: Array<TestRecord<K, V> | { key: K | null; value: V | null; timestamp?: number }>,
  ): void {
    for (const r of records)
      this.pipeInput(r.key, r.value, r.timestamp, r instanceof TestRecord ? r.headers : {});
  }

  /** Pipes values with null keys. */
  pipeValueList(values: Array<V | null>): void {
    for (const v of values) this.pipeValue(v);
  }
}
