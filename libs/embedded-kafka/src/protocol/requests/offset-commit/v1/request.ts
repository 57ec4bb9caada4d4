/**
 * OffsetCommit Request (Version: 1) => group_id generation_id member_id [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset commit_timestamp committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       commit_timestamp => INT64
 *       committed_metadata => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { OffsetCommitRequest } from '../types';
import { decodeTopics } from '../v0/request';

export function decode(decoder: Decoder): OffsetCommitRequest {
  const groupId = decoder.readString();
  const generationId = decoder.readInt32();
  const memberId = decoder.readString();
  return { groupId, generationId, memberId, retentionTimeMs: -1, topics: decodeTopics(decoder, true) };
}
