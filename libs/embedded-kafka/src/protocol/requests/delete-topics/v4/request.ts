/**
 * DeleteTopics Request (Version: 4) => [topic_names] timeout_ms TAG_BUFFER
 *   topic_names => COMPACT_STRING
 *   timeout_ms => INT32
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { DeleteTopicsRequest } from '../types';

export function decode(d: Decoder): DeleteTopicsRequest {
  const topics = d.readCompactStringArray().map((name) => ({ name, topicId: null }));
  const timeoutMs = d.readInt32();
  d.readTaggedFields();
  return { topics, timeoutMs };
}
