/**
 * Metadata Response (Version: 11) => throttle_time_ms [brokers] cluster_id controller_id [topics] TAG_BUFFER
 *   (as v10 without cluster_authorized_operations)
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeFlexible } from '../v9/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeFlexible(e, r, 11);
}
