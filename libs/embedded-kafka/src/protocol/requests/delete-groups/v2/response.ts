/**
 * DeleteGroups Response (Version: 2) => throttle_time_ms [results] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   results => group_id error_code TAG_BUFFER
 *     group_id => COMPACT_STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { DeleteGroupsResponse } from '../types';

export function encode(e: Encoder, r: DeleteGroupsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.results, (x, g) =>
    x.writeCompactString(g.groupId).writeInt16(g.errorCode).writeTaggedFields(),
  );
  e.writeTaggedFields();
}
