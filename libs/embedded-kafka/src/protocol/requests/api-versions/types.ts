import type { ApiVersionRange } from '../../api-registry';

/** ApiVersions request (all served versions have an empty body). */
export type ApiVersionsRequest = Record<string, never>;

/** ApiVersions response, every version's fields. */
export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: readonly ApiVersionRange[];
  /** v1+ */
  throttleTimeMs: number;
}
