/**
 * DescribeAcls Response (Version: 1) => throttle_time_ms error_code error_message [resources]
 *   resources => resource_type resource_name pattern_type [acls]
 */
import type { Encoder } from '../../../encoder';
import type { DescribeAclsResponse } from '../types';
import { encodeWith } from '../v0/response';

export function encode(e: Encoder, r: DescribeAclsResponse): void {
  encodeWith(e, r, true);
}
