import type {
  SyncGroupRequest as CoordinatorSyncGroupRequest,
  SyncGroupResult,
} from '../../../coordinator/coordinator-api';

/** SyncGroup request, every version's fields. */
export type SyncGroupRequest = CoordinatorSyncGroupRequest;

/** SyncGroup response, every version's fields. */
export interface SyncGroupResponse extends SyncGroupResult {
  /** v1+ */
  readonly throttleTimeMs: number;
  /** v5+: the group's protocol type (as validated from the request) */
  readonly protocolType: string | null;
  /** v5+: the group's selected protocol (as validated from the request) */
  readonly protocolName: string | null;
}
