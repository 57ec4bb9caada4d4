/**
 * Fetch Request (Version: 14) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id TAG_BUFFER
 *   (same as v13)
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeFlexible } from '../v12/request';

export function decode(d: Decoder): FetchRequest {
  return decodeFlexible(d, 14);
}
