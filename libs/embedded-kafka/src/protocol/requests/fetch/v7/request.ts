/**
 * Fetch Request (Version: 7) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   session_id => INT32
 *   session_epoch => INT32
 *   topics => topic [partitions]          (as v5)
 *   forgotten_topics_data => topic [partitions]
 *     topic => STRING
 *     partitions => INT32
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeShaped } from '../v0/request';
import { V5_SHAPE } from '../v5/request';

export const V7_SHAPE = { ...V5_SHAPE, session: true };

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, V7_SHAPE);
}
