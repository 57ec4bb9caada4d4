import type { ListedGroup } from '../../../coordinator/coordinator-api';

/** ListGroups request, every version's fields (v0-3 have no filters). */
export interface ListGroupsRequest {
  /** v4+ (KIP-518): only groups in these states (case-insensitive); empty = all. */
  readonly statesFilter: readonly string[];
  /** v5+ (KIP-848): only groups of these types (`classic`, `consumer`); empty = all. */
  readonly typesFilter: readonly string[];
}

/** ListGroups response, every version's fields. */
export interface ListGroupsResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  readonly groups: readonly ListedGroup[];
}
