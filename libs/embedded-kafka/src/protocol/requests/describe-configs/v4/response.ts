/**
 * DescribeConfigs Response (Version: 4) => throttle_time_ms [results] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   results => error_code error_message resource_type resource_name [configs] TAG_BUFFER
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation TAG_BUFFER
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *       synonyms => name value source TAG_BUFFER
 *         name => COMPACT_STRING
 *         value => COMPACT_NULLABLE_STRING
 *         source => INT8
 *       config_type => INT8                      (0 UNKNOWN)
 *       documentation => COMPACT_NULLABLE_STRING (null)
 */
import type { Encoder } from '../../../encoder';
import type { DescribeConfigsResponse } from '../types';

export function encode(e: Encoder, r: DescribeConfigsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.results, (x, res) => {
    x.writeInt16(res.errorCode).writeCompactNullableString(res.errorMessage);
    x.writeInt8(res.resourceType).writeCompactString(res.resourceName);
    x.writeCompactArray(res.configs, (y, c) => {
      y.writeCompactString(c.name).writeCompactNullableString(c.value).writeBoolean(c.readOnly);
      y.writeInt8(c.configSource).writeBoolean(c.isSensitive);
      y.writeCompactArray(c.synonyms, (z, s) =>
        z
          .writeCompactString(s.name)
          .writeCompactNullableString(s.value)
          .writeInt8(s.source)
          .writeTaggedFields(),
      );
      y.writeInt8(0).writeCompactNullableString(null).writeTaggedFields();
    });
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}
