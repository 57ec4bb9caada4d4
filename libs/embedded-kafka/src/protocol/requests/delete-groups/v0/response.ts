/**
 * DeleteGroups Response (Version: 0) => throttle_time_ms [results]
 *   throttle_time_ms => INT32
 *   results => group_id error_code
 *     group_id => STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { DeleteGroupsResponse } from '../types';

export function encode(encoder: Encoder, response: DeleteGroupsResponse): void {
  encoder.writeInt32(response.throttleTimeMs).writeArray(response.results, (e, r) => {
    e.writeString(r.groupId).writeInt16(r.errorCode);
  });
}
