/**
 * DeleteRecords Request (Version: 0) => [topics] timeout_ms
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index offset
 *       partition_index => INT32
 *       offset => INT64
 *   timeout_ms => INT32
 */
import type { Decoder } from '../../../decoder';
import type { DeleteRecordsRequest } from '../types';

export function decode(d: Decoder): DeleteRecordsRequest {
  const topics = d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((y) => ({ partitionIndex: y.readInt32(), offset: y.readInt64() })),
  }));
  return { topics, timeoutMs: d.readInt32() };
}
