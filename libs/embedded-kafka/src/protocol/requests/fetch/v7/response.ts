/**
 * Fetch Response (Version: 7) => throttle_time_ms error_code session_id [responses]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   session_id => INT32
 *   responses => topic [partitions]       (as v5)
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeShaped } from '../v0/response';
import { V5_SHAPE } from '../v5/response';

export const V7_SHAPE = { ...V5_SHAPE, session: true };

export function encode(e: Encoder, r: FetchResponse): void {
  encodeShaped(e, r, V7_SHAPE);
}
