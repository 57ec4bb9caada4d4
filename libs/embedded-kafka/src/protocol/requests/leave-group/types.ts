import type { LeaveGroupRequest as CoordinatorLeaveGroupRequest } from '../../../coordinator/coordinator-api';

/** LeaveGroup request (versions 0-1 carry one member). */
export type LeaveGroupRequest = CoordinatorLeaveGroupRequest;

/** LeaveGroup response, every version's fields. */
export interface LeaveGroupResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  readonly errorCode: number;
}
