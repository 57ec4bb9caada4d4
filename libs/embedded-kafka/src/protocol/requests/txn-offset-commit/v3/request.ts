/**
 * TxnOffsetCommit Request (Version: 3) => transactional_id group_id producer_id producer_epoch generation_id member_id group_instance_id [topics] TAG_BUFFER
 *   transactional_id => COMPACT_STRING
 *   group_id => COMPACT_STRING
 *   producer_id => INT64
 *   producer_epoch => INT16
 *   generation_id => INT32
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
 * The first flexible version; generation_id, member_id and group_instance_id are KIP-447's.
 */
import type { Decoder } from '../../../decoder';
import type { TxnOffsetCommitRequest } from '../types';

export function decode(d: Decoder): TxnOffsetCommitRequest {
  const transactionalId = d.readCompactString();
  const groupId = d.readCompactString();
  const producerId = d.readInt64();
  const producerEpoch = d.readInt16();
  const generationId = d.readInt32();
  const memberId = d.readCompactString();
  const groupInstanceId = d.readCompactNullableString();
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const partitions = x.readCompactArray((y) => {
      const p = {
        partitionIndex: y.readInt32(),
        committedOffset: y.readInt64(),
        committedLeaderEpoch: y.readInt32(),
        committedMetadata: y.readCompactNullableString(),
      };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { name, partitions };
  });
  d.readTaggedFields();
  return {
    transactionalId,
    groupId,
    producerId,
    producerEpoch,
    generationId,
    memberId,
    groupInstanceId,
    topics,
  };
}
