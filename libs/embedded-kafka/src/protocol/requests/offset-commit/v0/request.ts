/**
 * OffsetCommit Request (Version: 0) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { OffsetCommitPartition } from '../../../../coordinator/coordinator-api';
import type { OffsetCommitRequest } from '../types';

/** Reads the topics array; `withTimestamp` for v1's per-partition commit_timestamp. */
export function decodeTopics(decoder: Decoder, withTimestamp: boolean): OffsetCommitRequest['topics'] {
  return decoder.readArray((d) => {
    const name = d.readString();
    const partitions = d.readArray((p): OffsetCommitPartition => {
      const partitionIndex = p.readInt32();
      const committedOffset = p.readInt64();
      const commitTimestamp = withTimestamp ? p.readInt64() : -1;
      return { partitionIndex, committedOffset, commitTimestamp, committedMetadata: p.readNullableString() };
    });
    return { name, partitions };
  });
}

export function decode(decoder: Decoder): OffsetCommitRequest {
  const groupId = decoder.readString();
  // v0 commits are not tied to a generation (Kafka stored them in ZooKeeper).
  return {
    groupId,
    generationId: -1,
    memberId: '',
    retentionTimeMs: -1,
    topics: decodeTopics(decoder, false),
  };
}
