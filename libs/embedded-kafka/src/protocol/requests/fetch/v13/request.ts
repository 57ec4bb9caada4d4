/**
 * Fetch Request (Version: 13) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id TAG_BUFFER
 *   (as v12, with topics and forgotten topics named by id:)
 *   topics => topic_id [partitions] TAG_BUFFER
 *     topic_id => UUID
 *   forgotten_topics_data => topic_id [partitions] TAG_BUFFER
 *     topic_id => UUID
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeFlexible } from '../v12/request';

export function decode(d: Decoder): FetchRequest {
  return decodeFlexible(d, 13);
}
