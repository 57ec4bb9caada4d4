/**
 * OffsetFetch Request (Version: 8) => [groups] require_stable TAG_BUFFER
 *   groups => group_id [topics] TAG_BUFFER
 *     group_id => COMPACT_STRING
 *     topics => name [partition_indexes] TAG_BUFFER   (nullable: null asks for every committed partition)
 *       name => COMPACT_STRING
 *       partition_indexes => INT32
 *   require_stable => BOOLEAN
 *
 * Several groups in one request (KIP-709).
 */
import type { Decoder } from '../../../decoder';
import type { OffsetFetchRequest } from '../types';
import { decodeCompactTopics } from '../v6/request';

/** The batched layout, v8-v9: v9 groups add member_id and member_epoch (KIP-848 groups only; ignored). */
export function decodeBatched(d: Decoder, version: number): OffsetFetchRequest {
  const groups = d.readCompactArray((x) => {
    const groupId = x.readCompactString();
    if (version >= 9) {
      x.readCompactNullableString();
      x.readInt32();
    }
    const topics = decodeCompactTopics(x);
    x.readTaggedFields();
    return { groupId, topics };
  });
  const requireStable = d.readBoolean();
  d.readTaggedFields();
  return { groupId: groups[0]?.groupId ?? '', topics: null, groups, requireStable };
}

export function decode(d: Decoder): OffsetFetchRequest {
  return decodeBatched(d, 8);
}
