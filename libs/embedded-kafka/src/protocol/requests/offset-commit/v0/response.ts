/**
 * OffsetCommit Response (Version: 0) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetCommitResponse } from '../types';

export function encode(encoder: Encoder, response: OffsetCommitResponse): void {
  encoder.writeArray(response.topics, (e, t) => {
    e.writeString(t.name).writeArray(t.partitions, (pe, p) => {
      pe.writeInt32(p.partitionIndex).writeInt16(p.errorCode);
    });
  });
}
