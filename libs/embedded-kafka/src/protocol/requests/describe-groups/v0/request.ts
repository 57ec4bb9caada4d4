/**
 * DescribeGroups Request (Version: 0) => [groups]
 *   groups => STRING
 */
import type { Decoder } from '../../../decoder';
import type { DescribeGroupsRequest } from '../types';

export function decode(decoder: Decoder): DescribeGroupsRequest {
  return { groups: decoder.readStringArray(), includeAuthorizedOperations: false };
}
