/**
 * OffsetCommit Request (Version: 8) => group_id generation_id_or_member_epoch member_id group_instance_id [topics] TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   generation_id_or_member_epoch => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   topics => name [partitions] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata TAG_BUFFER
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => COMPACT_NULLABLE_STRING
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { OffsetCommitRequest } from '../types';

export function decode(d: Decoder): OffsetCommitRequest {
  const groupId = d.readCompactString();
  const generationId = d.readInt32();
  const memberId = d.readCompactString();
  const groupInstanceId = d.readCompactNullableString();
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const partitions = x.readCompactArray((p) => {
      const partitionIndex = p.readInt32();
      const committedOffset = p.readInt64();
      p.readInt32(); // committed_leader_epoch: not kept (OffsetFetch answers -1, "unknown")
      const committedMetadata = p.readCompactNullableString();
      p.readTaggedFields();
      return { partitionIndex, committedOffset, commitTimestamp: -1, committedMetadata };
    });
    x.readTaggedFields();
    return { name, partitions };
  });
  d.readTaggedFields();
  return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs: -1, topics };
}
