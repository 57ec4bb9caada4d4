/**
 * Fetch Response (Version: 17) => throttle_time_ms error_code session_id [responses] TAG_BUFFER
 *   (same as v16)
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeFlexible } from '../v12/response';

export function encode(e: Encoder, r: FetchResponse): void {
  encodeFlexible(e, r, 17);
}
