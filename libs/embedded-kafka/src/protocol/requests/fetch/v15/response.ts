/**
 * Fetch Response (Version: 15) => throttle_time_ms error_code session_id [responses] TAG_BUFFER
 *   (same as v13)
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeFlexible } from '../v12/response';

export function encode(e: Encoder, r: FetchResponse): void {
  encodeFlexible(e, r, 15);
}
