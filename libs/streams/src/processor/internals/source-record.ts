import { Record } from '../record';
import {
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  ValueFieldTimestampExtractor,
} from '../timestamp-extractor';
import type { ConsumedRaw } from './consumed-raw';
import type { ProcessorContextImpl } from './processor-context-impl';
import type { SourceNode } from './processor-nodes';
import { type TaskErrorRouter, toError } from './task-error-router';

const FAIL_ON_INVALID = FailOnInvalidTimestamp.prototype.extract;
const LOG_AND_SKIP = LogAndSkipOnInvalidTimestamp.prototype.extract;
const VALUE_FIELD = ValueFieldTimestampExtractor.prototype.extract;

/** A consumed record deserialized and timestamped by its source node. */
export interface SourceRecord {
  readonly key: unknown;
  readonly value: unknown;
  readonly timestamp: number;
}

/**
 * Deserializes one consumed record with its source node's deserializers and extracts its timestamp
 * (given the partition time so far), as Kafka Streams' `RecordDeserializer` and `RecordQueue` do for
 * stream tasks and the global update task alike. A record that cannot be deserialized goes to the
 * deserialization handler and `null` is returned; the caller validates the timestamp.
 */
export function readSourceRecord(
  source: SourceNode,
  raw: ConsumedRaw,
  errors: TaskErrorRouter,
  partitionTime: number,
): SourceRecord | null {
  if (raw.undecodable) {
    errors.onDeserializationError(raw, source.name, raw.undecodable);
    return null;
  }
  let key: unknown;
  let value: unknown;
  try {
    key = source.keyDeserializer.deserialize(raw.topic, raw.key, raw.headers);
    value = source.valueDeserializer.deserialize(raw.topic, raw.value, raw.headers);
  } catch (e) {
    errors.onDeserializationError(raw, source.name, toError(e));
    return null;
  }
  const extractor = source.timestampExtractor;
  // The default extractors return a valid Kafka timestamp as it is: no record object for them.
  if ((extractor.extract === FAIL_ON_INVALID || extractor.extract === LOG_AND_SKIP) && raw.timestamp >= 0)
    return { key, value, timestamp: raw.timestamp };
  // A value field's extractor reads only the value and the Kafka timestamp: no record object for it.
  if (extractor.extract === VALUE_FIELD)
    return {
      key,
      value,
      timestamp: (extractor as ValueFieldTimestampExtractor).extractFromValue(value, raw.timestamp),
    };
  const timestamp = extractor.extract(
    {
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      timestamp: raw.timestamp,
      key,
      value,
      headers: raw.headers,
    },
    partitionTime,
  );
  return { key, value, timestamp };
}

/**
 * Runs one record through its source node with the record context set; a processing error goes to
 * the processing handler (which may rethrow when the task must stop).
 */
export function processThroughSource(
  context: ProcessorContextImpl,
  source: SourceNode,
  errors: TaskErrorRouter,
  raw: ConsumedRaw,
  { key, value, timestamp }: SourceRecord,
): void {
  context.current = {
    topic: raw.topic,
    partition: raw.partition,
    offset: raw.offset,
    timestamp,
    headers: raw.headers,
  };
  context.currentNode = source;
  try {
    source.process(new Record(key, value, timestamp, raw.headers));
  } catch (e) {
    errors.onProcessingError(
      e,
      new Record(key, value, timestamp, raw.headers),
      raw,
      context.currentNode?.name ?? null,
    );
  } finally {
    context.currentNode = null;
    context.current = null;
    context.currentHeaders = undefined;
  }
}
