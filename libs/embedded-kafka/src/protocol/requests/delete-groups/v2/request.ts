/**
 * DeleteGroups Request (Version: 2) => [groups_names] TAG_BUFFER
 *   groups_names => COMPACT_STRING
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { DeleteGroupsRequest } from '../types';

export function decode(d: Decoder): DeleteGroupsRequest {
  const groupsNames = d.readCompactStringArray();
  d.readTaggedFields();
  return { groupsNames };
}
