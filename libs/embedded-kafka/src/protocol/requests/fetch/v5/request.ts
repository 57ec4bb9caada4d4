/**
 * Fetch Request (Version: 5) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition fetch_offset log_start_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       log_start_offset => INT64
 *       partition_max_bytes => INT32
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeShaped } from '../v0/request';
import { V4_SHAPE } from '../v4/request';

export const V5_SHAPE = { ...V4_SHAPE, logStartOffset: true };

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, V5_SHAPE);
}
