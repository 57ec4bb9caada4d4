/**
 * DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
 *   (as v3, and:)
 *     members => member_id group_instance_id client_id client_host member_metadata member_assignment
 *       group_instance_id => NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { DescribeGroupsResponse } from '../types';
import { encodeV3To4 } from '../v3/response';

export function encode(e: Encoder, r: DescribeGroupsResponse): void {
  encodeV3To4(e, r, 4);
}
