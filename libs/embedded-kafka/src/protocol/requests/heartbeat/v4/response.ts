/**
 * Heartbeat Response (Version: 4) => throttle_time_ms error_code TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { HeartbeatResponse } from '../types';

export function encode(e: Encoder, r: HeartbeatResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeTaggedFields();
}
