/**
 * OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   retention_time_ms => INT64
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { OffsetCommitRequest } from '../types';
import { decodeTopics } from '../v0/request';

export function decode(decoder: Decoder): OffsetCommitRequest {
  const groupId = decoder.readString();
  const generationId = decoder.readInt32();
  const memberId = decoder.readString();
  const retentionTimeMs = decoder.readInt64();
  return { groupId, generationId, memberId, retentionTimeMs, topics: decodeTopics(decoder, false) };
}
