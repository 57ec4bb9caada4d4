/**
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 */
import type { Encoder } from '../../../encoder';
import type { ApiVersionsResponse } from '../types';

export function encode(encoder: Encoder, response: ApiVersionsResponse): void {
  encoder.writeInt16(response.errorCode);
  encoder.writeArray(response.apiKeys, (e, k) => {
    e.writeInt16(k.apiKey).writeInt16(k.minVersion).writeInt16(k.maxVersion);
  });
}
