/**
 * DescribeConfigs Response (Version: 3) => throttle_time_ms [results]
 *   (as v1, and:)
 *     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation
 *       config_type => INT8              (0 UNKNOWN: types are not tracked)
 *       documentation => NULLABLE_STRING (null)
 */
import type { Encoder } from '../../../encoder';
import type { DescribeConfigsResponse } from '../types';
import { encodeShaped } from '../v0/response';

export function encode(e: Encoder, r: DescribeConfigsResponse): void {
  encodeShaped(e, r, (x, c) => {
    x.writeString(c.name).writeNullableString(c.value).writeBoolean(c.readOnly);
    x.writeInt8(c.configSource).writeBoolean(c.isSensitive);
    x.writeArray(c.synonyms, (y, s) =>
      y.writeString(s.name).writeNullableString(s.value).writeInt8(s.source),
    );
    x.writeInt8(0).writeNullableString(null);
  });
}
