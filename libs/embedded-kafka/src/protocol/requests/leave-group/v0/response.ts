/**
 * LeaveGroup Response (Version: 0) => error_code
 *   error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { LeaveGroupResponse } from '../types';

export function encode(encoder: Encoder, response: LeaveGroupResponse): void {
  encoder.writeInt16(response.errorCode);
}
