/**
 * OffsetFetch Response (Version: 8) => throttle_time_ms [groups] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   groups => group_id [topics] error_code TAG_BUFFER
 *     group_id => COMPACT_STRING
 *     topics => name [partitions] TAG_BUFFER
 *       name => COMPACT_STRING
 *       partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
 *         partition_index => INT32
 *         committed_offset => INT64
 *         committed_leader_epoch => INT32   (always -1)
 *         metadata => COMPACT_NULLABLE_STRING
 *         error_code => INT16
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { OffsetFetchResponse } from '../types';
import { encodeCompactTopics } from '../v6/response';

export function encode(e: Encoder, r: OffsetFetchResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.groups, (x, g) => {
    x.writeCompactString(g.groupId);
    encodeCompactTopics(x, g.errorCode === 0 ? g.topics : []);
    x.writeInt16(g.errorCode).writeTaggedFields();
  });
  e.writeTaggedFields();
}
