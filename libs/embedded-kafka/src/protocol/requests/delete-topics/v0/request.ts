/**
 * DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
 *   topic_names => STRING
 *   timeout_ms => INT32
 */
import type { Decoder } from '../../../decoder';
import type { DeleteTopicsRequest } from '../types';

export function decode(d: Decoder): DeleteTopicsRequest {
  const topics = d.readStringArray().map((name) => ({ name, topicId: null }));
  return { topics, timeoutMs: d.readInt32() };
}
