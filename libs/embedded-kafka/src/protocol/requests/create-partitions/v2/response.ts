/**
 * CreatePartitions Response (Version: 2) => throttle_time_ms [results] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   results => name error_code error_message TAG_BUFFER
 *     name => COMPACT_STRING
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { CreatePartitionsResponse } from '../types';

export function encode(e: Encoder, r: CreatePartitionsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.results, (x, t) =>
    x
      .writeCompactString(t.name)
      .writeInt16(t.errorCode)
      .writeCompactNullableString(t.errorMessage)
      .writeTaggedFields(),
  );
  e.writeTaggedFields();
}
