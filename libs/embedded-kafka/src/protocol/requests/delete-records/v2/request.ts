/**
 * DeleteRecords Request (Version: 2) => [topics] timeout_ms TAG_BUFFER
 *   topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => partition_index offset TAG_BUFFER
 *       partition_index => INT32
 *       offset => INT64
 *   timeout_ms => INT32
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { DeleteRecordsRequest } from '../types';

export function decode(d: Decoder): DeleteRecordsRequest {
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const partitions = x.readCompactArray((y) => {
      const p = { partitionIndex: y.readInt32(), offset: y.readInt64() };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { name, partitions };
  });
  const timeoutMs = d.readInt32();
  d.readTaggedFields();
  return { topics, timeoutMs };
}
