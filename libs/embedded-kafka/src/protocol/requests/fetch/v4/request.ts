/**
 * Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   topics => topic [partitions]      (as v3)
 */
import type { Decoder } from '../../../decoder';
import type { FetchRequest } from '../types';
import { decodeShaped } from '../v0/request';
import { V3_SHAPE } from '../v3/request';

export const V4_SHAPE = { ...V3_SHAPE, isolationLevel: true };

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, V4_SHAPE);
}
