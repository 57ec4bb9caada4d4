import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';
import type { ApiRegistry } from '../../api-registry';

/**
 * ApiVersions (key 18), versions 0-2. Advertises exactly what `registry` holds.
 * A request above v2 gets a v0-format UNSUPPORTED_VERSION reply with the full
 * list, so clients (librdkafka, kafkajs) fall back to a version we serve.
 */
export function apiVersionsApi(registry: ApiRegistry) {
  return defineApi<ApiVersionsRequest, ApiVersionsResponse>({
    apiKey: 18,
    name: 'ApiVersions',
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
    ],
    handle: () => ({ errorCode: ErrorCode.NONE, apiKeys: registry.versionRanges(), throttleTimeMs: 0 }),
    unsupportedVersion: {
      respondWithVersion: 0,
      response: () => ({
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
        apiKeys: registry.versionRanges(),
        throttleTimeMs: 0,
      }),
    },
  });
}
