/**
 * FindCoordinator Response (Version: 3) => throttle_time_ms error_code error_message node_id host port TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   node_id => INT32
 *   host => COMPACT_STRING
 *   port => INT32
 */
import type { Encoder } from '../../../encoder';
import type { FindCoordinatorResponse } from '../types';

export function encode(e: Encoder, r: FindCoordinatorResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeCompactNullableString(r.errorMessage);
  e.writeInt32(r.nodeId).writeCompactString(r.host).writeInt32(r.port).writeTaggedFields();
}
