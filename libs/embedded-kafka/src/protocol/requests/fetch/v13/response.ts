/**
 * Fetch Response (Version: 13) => throttle_time_ms error_code session_id [responses] TAG_BUFFER
 *   (as v12, with topics named by id:)
 *   responses => topic_id [partitions] TAG_BUFFER
 *     topic_id => UUID
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeFlexible } from '../v12/response';

export function encode(e: Encoder, r: FetchResponse): void {
  encodeFlexible(e, r, 13);
}
