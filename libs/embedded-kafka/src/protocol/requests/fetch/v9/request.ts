/**
 * Fetch Request (Version: 9) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   session_id => INT32
 *   session_epoch => INT32
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
 *       partition => INT32
 *       current_leader_epoch => INT32
 *       fetch_offset => INT64
 *       log_start_offset => INT64
 *       partition_max_bytes => INT32
 *   forgotten_topics_data => topic [partitions]
 *     topic => STRING
 *     partitions => INT32
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeShaped } from '../v0/request';
import { V7_SHAPE } from '../v7/request';

export const V9_SHAPE = { ...V7_SHAPE, currentLeaderEpoch: true };

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, V9_SHAPE);
}
