/**
 * JoinGroup Request (Version: 8) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason TAG_BUFFER
 *   (as v6, and:)
 *   reason => COMPACT_NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { JoinGroupRequest } from '../types';
import { decodeFlexible } from '../v6/request';

export function decode(d: Decoder): JoinGroupRequest {
  return decodeFlexible(d, 8);
}
