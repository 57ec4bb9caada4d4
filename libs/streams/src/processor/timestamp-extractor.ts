import { StreamsError } from '../errors/streams-error';
import { Headers } from '../serialization/serde';

/** The consumed record a timestamp extractor sees: metadata plus the deserialized key and value. */
export interface ConsumedRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The timestamp stored in Kafka (create or log-append time). */
  readonly timestamp: number;
  readonly key: K | null;
  readonly value: V | null;
  readonly headers: Headers;
}

/**
 * Gives a record its event time (Kafka Streams' `TimestampExtractor`). A negative result drops
 * the record (counted in `kafka_stream_dropped_records_total{reason="invalid_timestamp"}`).
 */
export interface TimestampExtractor {
  extract(record: ConsumedRecord, partitionTime: number): number;
}

/** Default: the record's Kafka timestamp; a negative one is an error that stops the task. */
export class FailOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord): number {
    if (record.timestamp < 0) {
      throw new StreamsError(
        `Input record on ${record.topic}-${record.partition} at offset ${record.offset} has invalid (negative) timestamp ${record.timestamp}; ` +
          'use LogAndSkipOnInvalidTimestamp or UsePreviousTimeOnInvalidTimestamp to tolerate it',
      );
    }
    return record.timestamp;
  }
}

/** The record's Kafka timestamp; a negative one drops the record (with a warning and a metric). */
export class LogAndSkipOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord): number {
    return record.timestamp;
  }
}

/** The record's Kafka timestamp; a negative one is replaced by the partition's current stream time. */
export class UsePreviousTimeOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord, partitionTime: number): number {
    if (record.timestamp >= 0) return record.timestamp;
    if (partitionTime < 0) {
      throw new StreamsError(
        `Input record on ${record.topic}-${record.partition} at offset ${record.offset} has an invalid timestamp and no previous time is known`,
      );
    }
    return partitionTime;
  }
}

/** Processing time: the system clock when the record is processed. */
export class WallclockTimestampExtractor implements TimestampExtractor {
  extract(): number {
    return Date.now();
  }
}

/**
 * Event time from a field of the (deserialized) value, e.g. the seed's `purchaseDate`.
 * The field may hold epoch milliseconds, a `Date` or an ISO-8601 string; anything else falls
 * back to the record's Kafka timestamp.
 */
export class ValueFieldTimestampExtractor<V = unknown> implements TimestampExtractor {
  private readonly get: (value: V) => unknown;

  constructor(field: string | ((value: V) => unknown)) {
    this.get =
      typeof field === 'function'
        ? field
        : (v) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[field] : undefined);
  }

  extract(record: ConsumedRecord): number {
    return this.extractFromValue(record.value, record.timestamp);
  }

  /**
   * @internal {@link extract} of a record with this value and Kafka timestamp (all it reads): the
   * source node calls it without a record object per consumed record.
   */
  extractFromValue(value: unknown, recordTimestamp: number): number {
    // The record's value is what the source's deserializer produced: the `V` this extractor was built for.
    const raw = value === null ? undefined : this.get(value as V);
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
    if (raw instanceof Date) return raw.getTime();
    if (typeof raw === 'string') {
      const ms = Date.parse(raw);
      if (!Number.isNaN(ms)) return ms;
    }
    return recordTimestamp;
  }
}
