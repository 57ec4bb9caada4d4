/**
 * FindCoordinator Response (Version: 4) => throttle_time_ms [coordinators] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   coordinators => key node_id host port error_code error_message TAG_BUFFER
 *     key => COMPACT_STRING
 *     node_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { FindCoordinatorResponse } from '../types';

export function encode(e: Encoder, r: FindCoordinatorResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.coordinators, (x, c) => {
    x.writeCompactString(c.key).writeInt32(c.nodeId).writeCompactString(c.host).writeInt32(c.port);
    x.writeInt16(c.errorCode).writeCompactNullableString(c.errorMessage).writeTaggedFields();
  });
  e.writeTaggedFields();
}
