/**
 * OffsetCommit Request (Version: 6) => group_id generation_id member_id [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_leader_epoch => INT32
 *       committed_metadata => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { OffsetCommitRequest } from '../types';

/** The v6-v7 layout: v7 adds group_instance_id after member_id. */
export function decodeV6To7(d: Decoder, version: number): OffsetCommitRequest {
  const groupId = d.readString();
  const generationId = d.readInt32();
  const memberId = d.readString();
  const groupInstanceId = version >= 7 ? d.readNullableString() : null;
  const topics = d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((p) => {
      const partitionIndex = p.readInt32();
      const committedOffset = p.readInt64();
      p.readInt32(); // committed_leader_epoch: not kept (OffsetFetch answers -1, "unknown")
      return {
        partitionIndex,
        committedOffset,
        commitTimestamp: -1,
        committedMetadata: p.readNullableString(),
      };
    }),
  }));
  return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs: -1, topics };
}

export function decode(d: Decoder): OffsetCommitRequest {
  return decodeV6To7(d, 6);
}
