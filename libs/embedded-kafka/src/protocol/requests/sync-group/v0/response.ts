/**
 * SyncGroup Response (Version: 0) => error_code assignment
 *   error_code => INT16
 *   assignment => BYTES
 */
import type { Encoder } from '../../../encoder';
import type { SyncGroupResponse } from '../types';

export function encode(encoder: Encoder, response: SyncGroupResponse): void {
  encoder.writeInt16(response.errorCode).writeBytes(response.assignment);
}
