/**
 * ListGroups Request (Version: 5) => [states_filter] [types_filter] TAG_BUFFER
 *   states_filter => COMPACT_STRING
 *   types_filter => COMPACT_STRING
 */
import type { Decoder } from '../../../decoder';
import type { ListGroupsRequest } from '../types';
import { decodeFlexible } from '../v3/request';

export function decode(d: Decoder): ListGroupsRequest {
  return decodeFlexible(d, 5);
}
