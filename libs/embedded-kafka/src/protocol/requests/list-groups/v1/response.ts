/**
 * ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import type { Encoder } from '../../../encoder';
import type { ListGroupsResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(encoder: Encoder, response: ListGroupsResponse): void {
  encoder.writeInt32(response.throttleTimeMs);
  encodeV0(encoder, response);
}
