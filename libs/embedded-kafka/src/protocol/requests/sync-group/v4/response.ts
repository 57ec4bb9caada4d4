/**
 * SyncGroup Response (Version: 4) => throttle_time_ms error_code assignment TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   assignment => COMPACT_BYTES
 */
import type { Encoder } from '../../../encoder';
import type { SyncGroupResponse } from '../types';

/** The flexible layout, v4-v5: v5 adds protocol_type and protocol_name after error_code. */
export function encodeFlexible(e: Encoder, r: SyncGroupResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode);
  if (version >= 5) e.writeCompactNullableString(r.protocolType).writeCompactNullableString(r.protocolName);
  e.writeCompactBytes(r.assignment).writeTaggedFields();
}

export function encode(e: Encoder, r: SyncGroupResponse): void {
  encodeFlexible(e, r, 4);
}
