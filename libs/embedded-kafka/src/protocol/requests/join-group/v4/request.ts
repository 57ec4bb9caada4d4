/**
 * JoinGroup Request (Version: 4) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
 *   (same wire format as v1; from v4 a new member first gets MEMBER_ID_REQUIRED and rejoins with the id it is given)
 */
import type { Decoder } from '../../../decoder';
import type { JoinGroupRequest } from '../types';
import { decode as decodeV1 } from '../v1/request';

export function decode(decoder: Decoder): JoinGroupRequest {
  return { ...decodeV1(decoder), requireKnownMemberId: true };
}
