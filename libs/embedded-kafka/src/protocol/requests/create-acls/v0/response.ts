/**
 * CreateAcls Response (Version: 0) => throttle_time_ms [results]
 *   results => error_code error_message
 */
import type { Encoder } from '../../../encoder';
import type { CreateAclsResponse } from '../types';

export function encode(e: Encoder, r: CreateAclsResponse): void {
  e.writeInt32(r.throttleTimeMs).writeArray(r.results, (x, res) =>
    x.writeInt16(res.errorCode).writeNullableString(res.errorMessage),
  );
}
