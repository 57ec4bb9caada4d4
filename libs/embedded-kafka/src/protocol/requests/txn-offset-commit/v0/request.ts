/**
 * TxnOffsetCommit Request (Version: 0) => transactional_id group_id producer_id producer_epoch [topics]
 *   transactional_id => STRING
 *   group_id => STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 */
import type { Decoder } from '../../../decoder';
import type { TxnOffsetCommitRequest } from '../types';

/** The non-flexible layout, v0-v2 (v2 adds committed_leader_epoch). */
export function decodeVersion(d: Decoder, version: number): TxnOffsetCommitRequest {
  const transactionalId = d.readString();
  const groupId = d.readString();
  const producerId = d.readInt64();
  const producerEpoch = d.readInt16();
  const topics = d.readArray((x) => ({
    name: x.readString(),
    partitions: x.readArray((y) => ({
      partitionIndex: y.readInt32(),
      committedOffset: y.readInt64(),
      committedLeaderEpoch: version >= 2 ? y.readInt32() : -1,
      committedMetadata: y.readNullableString(),
    })),
  }));
  return {
    transactionalId,
    groupId,
    producerId,
    producerEpoch,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics,
  };
}

export function decode(d: Decoder): TxnOffsetCommitRequest {
  return decodeVersion(d, 0);
}
