/**
 * Heartbeat Response (Version: 1) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { HeartbeatResponse } from '../types';

export function encode(encoder: Encoder, response: HeartbeatResponse): void {
  encoder.writeInt32(response.throttleTimeMs).writeInt16(response.errorCode);
}
