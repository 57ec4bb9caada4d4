/**
 * CreatePartitions Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => name error_code error_message
 *     name => STRING
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { CreatePartitionsResponse } from '../types';

export function encode(e: Encoder, r: CreatePartitionsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.results, (x, t) =>
    x.writeString(t.name).writeInt16(t.errorCode).writeNullableString(t.errorMessage),
  );
}
