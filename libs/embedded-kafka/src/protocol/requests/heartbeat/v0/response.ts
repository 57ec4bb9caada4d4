/**
 * Heartbeat Response (Version: 0) => error_code
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { HeartbeatResponse } from '../types';

export function encode(encoder: Encoder, response: HeartbeatResponse): void {
  encoder.writeInt16(response.errorCode);
}
