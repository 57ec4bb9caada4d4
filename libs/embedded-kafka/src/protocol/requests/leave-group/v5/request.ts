/**
 * LeaveGroup Request (Version: 5) => group_id [members] TAG_BUFFER
 *   (as v4, and:)
 *   members => member_id group_instance_id reason TAG_BUFFER
 *     reason => COMPACT_NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { LeaveGroupRequest } from '../types';
import { decodeFlexible } from '../v4/request';

export function decode(d: Decoder): LeaveGroupRequest {
  return decodeFlexible(d, 5);
}
