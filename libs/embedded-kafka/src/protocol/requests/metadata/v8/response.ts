/**
 * Metadata Response (Version: 8) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations
 *   (as v7, and:)
 *   topics => error_code name is_internal [partitions] topic_authorized_operations
 *     topic_authorized_operations => INT32
 *   cluster_authorized_operations => INT32
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeV5To8 } from '../v5/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeV5To8(e, r, 8);
}
