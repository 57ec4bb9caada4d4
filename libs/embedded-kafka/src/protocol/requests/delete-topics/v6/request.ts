/**
 * DeleteTopics Request (Version: 6) => [topics] timeout_ms TAG_BUFFER
 *   topics => name topic_id TAG_BUFFER
 *     name => COMPACT_NULLABLE_STRING
 *     topic_id => UUID
 *   timeout_ms => INT32
 */
import type { Decoder } from '../../../decoder';
import type { DeleteTopicsRequest } from '../types';

export function decode(d: Decoder): DeleteTopicsRequest {
  const topics = d.readCompactArray((x) => {
    const t = { name: x.readCompactNullableString(), topicId: x.readUuid() };
    x.readTaggedFields();
    return t;
  });
  const timeoutMs = d.readInt32();
  d.readTaggedFields();
  return { topics, timeoutMs };
}
