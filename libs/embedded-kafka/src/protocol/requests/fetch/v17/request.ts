/**
 * Fetch Request (Version: 17) => max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id TAG_BUFFER
 *   (same as v15; partitions add the tagged ReplicaDirectoryId, tag 0, followers only)
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeFlexible } from '../v12/request';

export function decode(d: Decoder): FetchRequest {
  return decodeFlexible(d, 17);
}
