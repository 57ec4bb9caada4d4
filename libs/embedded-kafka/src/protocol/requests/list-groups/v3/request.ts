/**
 * ListGroups Request (Version: 3) => TAG_BUFFER
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { ListGroupsRequest } from '../types';

/** The flexible layout, v3-v5: v4 adds states_filter, v5 types_filter. */
export function decodeFlexible(d: Decoder, version: number): ListGroupsRequest {
  const statesFilter = version >= 4 ? d.readCompactStringArray() : [];
  const typesFilter = version >= 5 ? d.readCompactStringArray() : [];
  d.readTaggedFields();
  return { statesFilter, typesFilter };
}

export function decode(d: Decoder): ListGroupsRequest {
  return decodeFlexible(d, 3);
}
