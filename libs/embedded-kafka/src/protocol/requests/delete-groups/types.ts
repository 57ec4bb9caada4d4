import type { DeleteGroupResult } from '../../../coordinator/coordinator-api';

/** DeleteGroups request (versions 0-1). */
export interface DeleteGroupsRequest {
  readonly groupsNames: readonly string[];
}

/** DeleteGroups response (versions 0-1). */
export interface DeleteGroupsResponse {
  readonly throttleTimeMs: number;
  readonly results: readonly DeleteGroupResult[];
}
