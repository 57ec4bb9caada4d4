/**
 * TxnOffsetCommit Request (Version: 2) => transactional_id group_id producer_id producer_epoch [topics]
 *   (as v0, partitions => partition_index committed_offset committed_leader_epoch committed_metadata)
 *       committed_leader_epoch => INT32
 */
import type { Decoder } from '../../../decoder';
import type { TxnOffsetCommitRequest } from '../types';
import { decodeVersion } from '../v0/request';

export function decode(d: Decoder): TxnOffsetCommitRequest {
  return decodeVersion(d, 2);
}
