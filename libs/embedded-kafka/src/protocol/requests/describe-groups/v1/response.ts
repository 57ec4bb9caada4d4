/**
 * DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     (as in v0)
 */
import type { Encoder } from '../../../encoder';
import type { DescribeGroupsResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(encoder: Encoder, response: DescribeGroupsResponse): void {
  encoder.writeInt32(response.throttleTimeMs);
  encodeV0(encoder, response);
}
