/**
 * JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 */
import type { Decoder } from '../../../decoder';
import type { GroupProtocol } from '../../../../coordinator/coordinator-api';
import type { JoinGroupRequest } from '../types';

/** Reads the protocols array (the same in every version). */
export function decodeProtocols(decoder: Decoder): GroupProtocol[] {
  return decoder.readArray((d) => {
    const name = d.readString();
    // Copy: the metadata outlives the request frame (it is kept for the group's lifetime).
    return { name, metadata: Buffer.from(d.readBytes()) };
  });
}

export function decode(decoder: Decoder): JoinGroupRequest {
  const groupId = decoder.readString();
  const sessionTimeoutMs = decoder.readInt32();
  const memberId = decoder.readString();
  const protocolType = decoder.readString();
  const protocols = decodeProtocols(decoder);
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs: sessionTimeoutMs,
    memberId,
    groupInstanceId: null,
    protocolType,
    protocols,
    requireKnownMemberId: false,
  };
}
