/**
 * DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
 *   groups => STRING
 *   include_authorized_operations => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { DescribeGroupsRequest } from '../types';

export function decode(d: Decoder): DescribeGroupsRequest {
  const groups = d.readStringArray();
  return { groups, includeAuthorizedOperations: d.readBoolean() };
}
