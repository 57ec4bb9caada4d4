/**
 * DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
 *   topic_names => STRING
 *   timeout_ms => INT32
 */
import type { Decoder } from '../../../decoder';
import type { DeleteTopicsRequest } from '../types';

export function decode(d: Decoder): DeleteTopicsRequest {
  return { topicNames: d.readStringArray(), timeoutMs: d.readInt32() };
}
