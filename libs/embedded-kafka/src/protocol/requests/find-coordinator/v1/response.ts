/**
 * FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import type { Encoder } from '../../../encoder';
import type { FindCoordinatorResponse } from '../types';

export function encode(encoder: Encoder, response: FindCoordinatorResponse): void {
  encoder
    .writeInt32(response.throttleTimeMs)
    .writeInt16(response.errorCode)
    .writeNullableString(response.errorMessage)
    .writeInt32(response.nodeId)
    .writeString(response.host)
    .writeInt32(response.port);
}
