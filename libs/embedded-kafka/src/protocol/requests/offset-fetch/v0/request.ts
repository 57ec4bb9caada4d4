/**
 * OffsetFetch Request (Version: 0) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 */
import type { Decoder } from '../../../decoder';
import type { OffsetFetchRequest } from '../types';

function decodeTopic(d: Decoder): { name: string; partitionIndexes: number[] } {
  const name = d.readString();
  return { name, partitionIndexes: d.readInt32Array() };
}

/** Reads group_id and the topics array; `nullable` from v2 (null = every committed partition). */
export function decodeRequest(decoder: Decoder, nullable: boolean): OffsetFetchRequest {
  const groupId = decoder.readString();
  const topics = nullable ? decoder.readNullableArray(decodeTopic) : decoder.readArray(decodeTopic);
  return { groupId, topics, groups: null, requireStable: false };
}

export function decode(decoder: Decoder): OffsetFetchRequest {
  return decodeRequest(decoder, false);
}
