/**
 * Fetch Request (Version: 3) => replica_id max_wait_ms min_bytes max_bytes [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition fetch_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       partition_max_bytes => INT32
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { V0_SHAPE, decodeShaped } from '../v0/request';

export const V3_SHAPE = { ...V0_SHAPE, maxBytes: true };

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, V3_SHAPE);
}
