/**
 * OffsetFetch Request (Version: 7) => group_id [topics] require_stable TAG_BUFFER
 *   (as v6, and:)
 *   require_stable => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { OffsetFetchRequest } from '../types';
import { decodeV6To7 } from '../v6/request';

export function decode(d: Decoder): OffsetFetchRequest {
  return decodeV6To7(d, 7);
}
