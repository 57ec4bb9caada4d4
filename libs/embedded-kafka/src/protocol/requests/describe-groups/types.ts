import type { DescribedGroup } from '../../../coordinator/coordinator-api';

/** DescribeGroups request, every version's fields. */
export interface DescribeGroupsRequest {
  readonly groups: readonly string[];
  /** v3+ */
  readonly includeAuthorizedOperations: boolean;
}

/** DescribeGroups response, every version's fields. */
export interface DescribeGroupsResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  readonly groups: readonly DescribedGroup[];
  /** v3+: per group, -2147483648 when not requested. */
  readonly authorizedOperations: number;
}
