/**
 * Metadata Response (Version: 12) => throttle_time_ms [brokers] cluster_id controller_id [topics] TAG_BUFFER
 *   (as v11, and:)
 *   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations TAG_BUFFER
 *     name => COMPACT_NULLABLE_STRING   (null for an unknown topic asked for by id)
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeFlexible } from '../v9/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeFlexible(e, r, 12);
}
