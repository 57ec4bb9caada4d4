/**
 * AlterConfigs Response (Version: 2) => throttle_time_ms [responses] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   responses => error_code error_message resource_type resource_name TAG_BUFFER
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 */
import type { Encoder } from '../../../encoder';
import type { AlterConfigsResponse } from '../types';

export function encode(e: Encoder, r: AlterConfigsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.responses, (x, s) => {
    x.writeInt16(s.errorCode).writeCompactNullableString(s.errorMessage);
    x.writeInt8(s.resourceType).writeCompactString(s.resourceName).writeTaggedFields();
  });
  e.writeTaggedFields();
}
