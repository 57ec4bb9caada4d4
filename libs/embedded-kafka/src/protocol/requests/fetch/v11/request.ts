/**
 * Fetch Request (Version: 11) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id
 *   (v9 fields, then)
 *   rack_id => STRING
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeShaped } from '../v0/request';
import { V9_SHAPE } from '../v9/request';

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, { ...V9_SHAPE, rackId: true });
}
