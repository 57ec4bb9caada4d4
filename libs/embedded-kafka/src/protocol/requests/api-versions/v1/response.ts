/**
 * ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 */
import type { Encoder } from '../../../encoder';
import type { ApiVersionsResponse } from '../types';
import { encode as encodeV0 } from '../v0/response';

export function encode(encoder: Encoder, response: ApiVersionsResponse): void {
  encodeV0(encoder, response);
  encoder.writeInt32(response.throttleTimeMs);
}
