/**
 * Metadata Response (Version: 10) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations TAG_BUFFER
 *   (as v9, and:)
 *   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations TAG_BUFFER
 *     topic_id => UUID
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeFlexible } from '../v9/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeFlexible(e, r, 10);
}
