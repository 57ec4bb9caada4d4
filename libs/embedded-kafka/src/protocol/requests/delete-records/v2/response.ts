/**
 * DeleteRecords Response (Version: 2) => throttle_time_ms [topics] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => partition_index low_watermark error_code TAG_BUFFER
 *       partition_index => INT32
 *       low_watermark => INT64
 *       error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { DeleteRecordsResponse } from '../types';

export function encode(e: Encoder, r: DeleteRecordsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.topics, (x, t) => {
    x.writeCompactString(t.name);
    x.writeCompactArray(t.partitions, (y, p) =>
      y.writeInt32(p.partitionIndex).writeInt64(p.lowWatermark).writeInt16(p.errorCode).writeTaggedFields(),
    );
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}
