/**
 * SyncGroup Response (Version: 5) => throttle_time_ms error_code protocol_type protocol_name assignment TAG_BUFFER
 *   (as v4, and:)
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { SyncGroupResponse } from '../types';
import { encodeFlexible } from '../v4/response';

export function encode(e: Encoder, r: SyncGroupResponse): void {
  encodeFlexible(e, r, 5);
}
