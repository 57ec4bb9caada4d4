/**
 * AddPartitionsToTxn Response (Version: 0) => throttle_time_ms [results_by_topic_v3_and_below]
 *   throttle_time_ms => INT32
 *   results_by_topic_v3_and_below => name [results_by_partition]
 *     name => STRING
 *     results_by_partition => partition_index partition_error_code
 *       partition_index => INT32
 *       partition_error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { AddPartitionsToTxnResponse } from '../types';

export function encode(e: Encoder, r: AddPartitionsToTxnResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.results, (x, t) => {
    x.writeString(t.name);
    x.writeArray(t.results, (y, p) => y.writeInt32(p.partitionIndex).writeInt16(p.errorCode));
  });
}
