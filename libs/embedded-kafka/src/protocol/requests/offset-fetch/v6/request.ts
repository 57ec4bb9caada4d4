/**
 * OffsetFetch Request (Version: 6) => group_id [topics] TAG_BUFFER
 *   group_id => COMPACT_STRING
 *   topics => name [partition_indexes] TAG_BUFFER   (nullable: null asks for every committed partition)
 *     name => COMPACT_STRING
 *     partition_indexes => INT32
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { OffsetFetchRequest } from '../types';

/** The compact nullable topics array (v6+). */
export function decodeCompactTopics(d: Decoder): OffsetFetchRequest['topics'] {
  return d.readCompactNullableArray((x) => {
    const t = { name: x.readCompactString(), partitionIndexes: x.readCompactInt32Array() };
    x.readTaggedFields();
    return t;
  });
}

/** The v6-v7 layout: v7 adds require_stable. */
export function decodeV6To7(d: Decoder, version: number): OffsetFetchRequest {
  const groupId = d.readCompactString();
  const topics = decodeCompactTopics(d);
  const requireStable = version >= 7 ? d.readBoolean() : false;
  d.readTaggedFields();
  return { groupId, topics, groups: null, requireStable };
}

export function decode(d: Decoder): OffsetFetchRequest {
  return decodeV6To7(d, 6);
}
