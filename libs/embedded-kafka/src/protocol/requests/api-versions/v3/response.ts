/**
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   error_code => INT16
 *   api_keys => api_key min_version max_version TAG_BUFFER   (COMPACT_ARRAY)
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 *   (tagged, none written: 0 SupportedFeatures, 1 FinalizedFeaturesEpoch,
 *    2 FinalizedFeatures, 3 ZkMigrationReady; this broker has no feature flags)
 */
import type { Encoder } from '../../../encoder';
import type { ApiVersionsResponse } from '../types';

export function encode(e: Encoder, response: ApiVersionsResponse): void {
  e.writeInt16(response.errorCode);
  e.writeCompactArray(response.apiKeys, (x, k) => {
    x.writeInt16(k.apiKey).writeInt16(k.minVersion).writeInt16(k.maxVersion).writeTaggedFields();
  });
  e.writeInt32(response.throttleTimeMs);
  e.writeTaggedFields();
}
