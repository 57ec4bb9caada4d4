/**
 * DescribeGroups Request (Version: 5) => [groups] include_authorized_operations TAG_BUFFER
 *   groups => COMPACT_STRING
 *   include_authorized_operations => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { DescribeGroupsRequest } from '../types';

export function decode(d: Decoder): DescribeGroupsRequest {
  const groups = d.readCompactStringArray();
  const includeAuthorizedOperations = d.readBoolean();
  d.readTaggedFields();
  return { groups, includeAuthorizedOperations };
}
