import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';
import * as v3req from './v3/request';
import * as v3res from './v3/response';
import * as v4req from './v4/request';
import * as v4res from './v4/response';
import type { ApiRegistry } from '../../api-registry';

/** What Kafka accepts as client software name and version (KIP-511). */
const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

/**
 * ApiVersions (key 18), versions 0-4 (3+ flexible, KIP-482/KIP-511). Advertises
 * exactly what `registry` holds. v3+ requests carry the client software name and
 * version, kept on the connection; an invalid one gets INVALID_REQUEST, as in
 * Kafka. A request above v4 gets a v0-format UNSUPPORTED_VERSION reply with the
 * full list, so clients fall back to a version we serve.
 */
export function apiVersionsApi(registry: ApiRegistry) {
  return defineApi<ApiVersionsRequest, ApiVersionsResponse>({
    apiKey: 18,
    name: 'ApiVersions',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
    ],
    handle: (request, context) => {
      const { clientSoftwareName: name, clientSoftwareVersion: version } = request;
      if (name !== null && version !== null) {
        if (!SOFTWARE_PATTERN.test(name) || !SOFTWARE_PATTERN.test(version)) {
          return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys: [], throttleTimeMs: 0 };
        }
        context.connection.clientSoftware = { name, version };
      }
      return { errorCode: ErrorCode.NONE, apiKeys: registry.versionRanges(), throttleTimeMs: 0 };
    },
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
