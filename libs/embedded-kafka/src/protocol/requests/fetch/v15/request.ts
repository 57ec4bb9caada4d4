/**
 * Fetch Request (Version: 15) => max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id TAG_BUFFER
 *   (as v13 without replica_id, which followers send in the tagged ReplicaState, tag 1)
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeFlexible } from '../v12/request';

export function decode(d: Decoder): FetchRequest {
  return decodeFlexible(d, 15);
}
