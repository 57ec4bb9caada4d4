/**
 * Fetch Response (Version: 1) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => topic [partitions]     (as v0)
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { V0_SHAPE, encodeShaped } from '../v0/response';

export const V1_SHAPE = { ...V0_SHAPE, throttle: true };

export function encode(e: Encoder, r: FetchResponse): void {
  encodeShaped(e, r, V1_SHAPE);
}
