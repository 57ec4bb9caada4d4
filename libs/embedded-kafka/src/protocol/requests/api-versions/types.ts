import type { ApiVersionRange } from '../../api-registry';

/** ApiVersions request, every version's fields (v0-2 have an empty body). */
export interface ApiVersionsRequest {
  /** v3+ (KIP-511); null before v3. */
  clientSoftwareName: string | null;
  /** v3+ (KIP-511); null before v3. */
  clientSoftwareVersion: string | null;
}

/** ApiVersions response, every version's fields. */
export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: readonly ApiVersionRange[];
  /** v1+ */
  throttleTimeMs: number;
}
