/**
 * DeleteGroups Request (Version: 0) => [groups_names]
 *   groups_names => STRING
 */
import type { Decoder } from '../../../decoder';
import type { DeleteGroupsRequest } from '../types';

export function decode(decoder: Decoder): DeleteGroupsRequest {
  return { groupsNames: decoder.readStringArray() };
}
