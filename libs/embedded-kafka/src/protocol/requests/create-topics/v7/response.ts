/**
 * CreateTopics Response (Version: 7) => throttle_time_ms [topics] TAG_BUFFER
 *   (as v5, and:)
 *   topics => name topic_id error_code error_message num_partitions replication_factor [configs] TAG_BUFFER
 *     topic_id => UUID
 */
import type { Encoder } from '../../../encoder';
import type { CreateTopicsResponse } from '../types';
import { encodeFlexible } from '../v5/response';

export function encode(e: Encoder, r: CreateTopicsResponse): void {
  encodeFlexible(e, r, 7);
}
