/**
 * ListOffsets Response (Version: 0) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code [old_style_offsets]
 *       partition_index => INT32
 *       error_code => INT16
 *       old_style_offsets => INT64
 */
import type { Encoder } from '../../../encoder';
import type { ListOffsetsResponse } from '../types';

export function encode(e: Encoder, r: ListOffsetsResponse): void {
  e.writeArray(r.topics, (x, t) => {
    x.writeString(t.name);
    x.writeArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode);
      y.writeArray(p.oldStyleOffsets, (z, o) => z.writeInt64(o));
    });
  });
}
