/**
 * ListGroups Request (Version: 4) => [states_filter] TAG_BUFFER
 *   states_filter => COMPACT_STRING
 */
import type { Decoder } from '../../../decoder';
import type { ListGroupsRequest } from '../types';
import { decodeFlexible } from '../v3/request';

export function decode(d: Decoder): ListGroupsRequest {
  return decodeFlexible(d, 4);
}
