/**
 * AlterConfigs Response (Version: 0) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => error_code error_message resource_type resource_name
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 */
import type { Encoder } from '../../../encoder';
import type { AlterConfigsResponse } from '../types';

export function encode(e: Encoder, r: AlterConfigsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.responses, (x, s) => {
    x.writeInt16(s.errorCode)
      .writeNullableString(s.errorMessage)
      .writeInt8(s.resourceType)
      .writeString(s.resourceName);
  });
}
