/**
 * FindCoordinator Response (Version: 0) => error_code node_id host port
 *   error_code => INT16
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import type { Encoder } from '../../../encoder';
import type { FindCoordinatorResponse } from '../types';

export function encode(encoder: Encoder, response: FindCoordinatorResponse): void {
  encoder
    .writeInt16(response.errorCode)
    .writeInt32(response.nodeId)
    .writeString(response.host)
    .writeInt32(response.port);
}
