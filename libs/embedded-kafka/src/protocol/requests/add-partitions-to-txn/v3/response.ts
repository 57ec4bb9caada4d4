/**
 * AddPartitionsToTxn Response (Version: 3) => throttle_time_ms [results_by_topic_v3_and_below] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   results_by_topic_v3_and_below => name [results_by_partition] TAG_BUFFER
 *     name => COMPACT_STRING
 *     results_by_partition => partition_index partition_error_code TAG_BUFFER
 *       partition_index => INT32
 *       partition_error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { AddPartitionsToTxnResponse } from '../types';

export function encode(e: Encoder, r: AddPartitionsToTxnResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.results, (x, t) => {
    x.writeCompactString(t.name);
    x.writeCompactArray(t.results, (y, p) =>
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeTaggedFields(),
    );
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}
