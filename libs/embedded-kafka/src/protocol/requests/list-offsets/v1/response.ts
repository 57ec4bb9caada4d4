/**
 * ListOffsets Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 */
import type { Encoder } from '../../../encoder';
import type { ListOffsetsResponse } from '../types';

export function encode(e: Encoder, r: ListOffsetsResponse): void {
  e.writeArray(r.topics, (x, t) => {
    x.writeString(t.name);
    x.writeArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeInt64(p.timestamp).writeInt64(p.offset);
    });
  });
}
