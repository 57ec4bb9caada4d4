import type { ListedGroup } from '../../../coordinator/coordinator-api';

/** ListGroups request (versions 0-2 have an empty body). */
export type ListGroupsRequest = Record<string, never>;

/** ListGroups response, every version's fields. */
export interface ListGroupsResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  readonly groups: readonly ListedGroup[];
}
