import type { DescribedGroup } from '../../../coordinator/coordinator-api';

/** DescribeGroups request (versions 0-2). */
export interface DescribeGroupsRequest {
  readonly groups: readonly string[];
}

/** DescribeGroups response, every version's fields. */
export interface DescribeGroupsResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  readonly groups: readonly DescribedGroup[];
}
