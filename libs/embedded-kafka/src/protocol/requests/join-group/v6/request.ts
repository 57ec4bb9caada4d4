/**
 * JoinGroup Request (Version: 6) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   protocol_type => COMPACT_STRING
 *   protocols => name metadata TAG_BUFFER
 *     name => COMPACT_STRING
 *     metadata => COMPACT_BYTES
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { JoinGroupRequest } from '../types';

/** The flexible layout, v6-v9: v8+ add `reason` after the protocols (KIP-800). */
export function decodeFlexible(d: Decoder, version: number): JoinGroupRequest {
  const groupId = d.readCompactString();
  const sessionTimeoutMs = d.readInt32();
  const rebalanceTimeoutMs = d.readInt32();
  const memberId = d.readCompactString();
  const groupInstanceId = d.readCompactNullableString();
  const protocolType = d.readCompactString();
  const protocols = d.readCompactArray((x) => {
    const p = { name: x.readCompactString(), metadata: x.readCompactBytes() };
    x.readTaggedFields();
    return p;
  });
  if (version >= 8) d.readCompactNullableString(); // reason: logged by Kafka, not used
  d.readTaggedFields();
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

export function decode(d: Decoder): JoinGroupRequest {
  return decodeFlexible(d, 6);
}
