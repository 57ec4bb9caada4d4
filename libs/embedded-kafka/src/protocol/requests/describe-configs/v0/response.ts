/**
 * DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs]
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value read_only is_default is_sensitive
 *       name => STRING
 *       value => NULLABLE_STRING
 *       read_only => BOOLEAN
 *       is_default => BOOLEAN
 *       is_sensitive => BOOLEAN
 */
import type { Encoder } from '../../../encoder';
import type { DescribeConfigsEntry, DescribeConfigsResponse } from '../types';

export function encodeShaped(
  e: Encoder,
  r: DescribeConfigsResponse,
  writeConfig: (e: Encoder, c: DescribeConfigsEntry) => void,
): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeArray(r.results, (x, res) => {
    x.writeInt16(res.errorCode)
      .writeNullableString(res.errorMessage)
      .writeInt8(res.resourceType)
      .writeString(res.resourceName);
    x.writeArray(res.configs, writeConfig);
  });
}

export function encode(e: Encoder, r: DescribeConfigsResponse): void {
  encodeShaped(e, r, (x, c) => {
    x.writeString(c.name)
      .writeNullableString(c.value)
      .writeBoolean(c.readOnly)
      .writeBoolean(c.isDefault)
      .writeBoolean(c.isSensitive);
  });
}
