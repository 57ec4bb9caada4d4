/**
 * DescribeConfigs Response (Version: 1) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs]
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value read_only config_source is_sensitive [synonyms]
 *       name => STRING
 *       value => NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *       synonyms => name value source
 *         name => STRING
 *         value => NULLABLE_STRING
 *         source => INT8
 */
import type { Encoder } from '../../../encoder';
import type { DescribeConfigsResponse } from '../types';
import { encodeShaped } from '../v0/response';

export function encode(e: Encoder, r: DescribeConfigsResponse): void {
  encodeShaped(e, r, (x, c) => {
    x.writeString(c.name)
      .writeNullableString(c.value)
      .writeBoolean(c.readOnly)
      .writeInt8(c.configSource)
      .writeBoolean(c.isSensitive);
    x.writeArray(c.synonyms, (y, s) =>
      y.writeString(s.name).writeNullableString(s.value).writeInt8(s.source),
    );
  });
}
