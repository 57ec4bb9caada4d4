/**
 * JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => STRING
 *   group_instance_id => NULLABLE_STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 */
import type { Decoder } from '../../../decoder';
import type { JoinGroupRequest } from '../types';
import { decodeProtocols } from '../v0/request';

export function decode(decoder: Decoder): JoinGroupRequest {
  const groupId = decoder.readString();
  const sessionTimeoutMs = decoder.readInt32();
  const rebalanceTimeoutMs = decoder.readInt32();
  const memberId = decoder.readString();
  const groupInstanceId = decoder.readNullableString();
  const protocolType = decoder.readString();
  const protocols = decodeProtocols(decoder);
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId,
    groupInstanceId,
    protocolType,
    protocols,
    requireKnownMemberId: true,
  };
}
