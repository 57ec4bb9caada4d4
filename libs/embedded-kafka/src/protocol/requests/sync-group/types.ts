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
}
