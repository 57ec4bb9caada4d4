/**
 * DeleteTopics Response (Version: 4) => throttle_time_ms [responses] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   responses => name error_code TAG_BUFFER
 *     name => COMPACT_STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { DeleteTopicsResponse } from '../types';

/** The flexible layout, v4-v6: v5 adds error_message, v6 topic_id and a nullable name. */
export function encodeFlexible(e: Encoder, r: DeleteTopicsResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.responses, (x, t) => {
    if (version >= 6) x.writeCompactNullableString(t.name).writeUuid(t.topicId);
    else x.writeCompactString(t.name ?? '');
    x.writeInt16(t.errorCode);
    if (version >= 5) x.writeCompactNullableString(t.errorMessage);
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}

export function encode(e: Encoder, r: DeleteTopicsResponse): void {
  encodeFlexible(e, r, 4);
}
