/**
 * Fetch Response (Version: 16) => throttle_time_ms error_code session_id [responses] TAG_BUFFER
 *   (same as v13; adds the tagged NodeEndpoints, tag 0, sent only with leader changes)
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeFlexible } from '../v12/response';

export function encode(e: Encoder, r: FetchResponse): void {
  encodeFlexible(e, r, 16);
}
