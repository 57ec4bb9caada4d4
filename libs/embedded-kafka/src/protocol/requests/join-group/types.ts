import type {
  JoinGroupRequest as CoordinatorJoinGroupRequest,
  JoinGroupResult,
} from '../../../coordinator/coordinator-api';

/** JoinGroup request, every version's fields (client id and host come from the connection). */
export type JoinGroupRequest = Omit<CoordinatorJoinGroupRequest, 'clientId' | 'clientHost'>;

/** JoinGroup response, every version's fields. */
export interface JoinGroupResponse extends JoinGroupResult {
  /** v2+ */
  readonly throttleTimeMs: number;
}
