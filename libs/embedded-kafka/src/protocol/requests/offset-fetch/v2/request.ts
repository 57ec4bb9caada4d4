/**
 * OffsetFetch Request (Version: 2) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]   (nullable: null asks for every committed partition)
 *     name => STRING
 *     partition_indexes => INT32
 */
import type { Decoder } from '../../../decoder';
import type { OffsetFetchRequest } from '../types';
import { decodeRequest } from '../v0/request';

export function decode(decoder: Decoder): OffsetFetchRequest {
  return decodeRequest(decoder, true);
}
