/**
 * SyncGroup Request (Version: 5) => group_id generation_id member_id group_instance_id protocol_type protocol_name [assignments] TAG_BUFFER
 *   (as v4, and:)
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { SyncGroupRequest } from '../types';
import { decodeFlexible } from '../v4/request';

export function decode(d: Decoder): SyncGroupRequest {
  return decodeFlexible(d, 5);
}
