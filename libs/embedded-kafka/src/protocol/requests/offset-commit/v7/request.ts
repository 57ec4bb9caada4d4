/**
 * OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
 *   (as v6, and:)
 *   group_instance_id => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { OffsetCommitRequest } from '../types';
import { decodeV6To7 } from '../v6/request';

export function decode(d: Decoder): OffsetCommitRequest {
  return decodeV6To7(d, 7);
}
