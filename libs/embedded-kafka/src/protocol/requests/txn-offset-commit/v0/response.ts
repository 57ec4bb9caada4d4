/**
 * TxnOffsetCommit Response (Version: 0) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { TxnOffsetCommitResponse } from '../types';

export function encode(e: Encoder, r: TxnOffsetCommitResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.topics, (x, t) => {
    x.writeString(t.name);
    x.writeArray(t.partitions, (y, p) => y.writeInt32(p.partitionIndex).writeInt16(p.errorCode));
  });
}
