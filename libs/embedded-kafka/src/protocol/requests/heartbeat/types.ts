import type { HeartbeatRequest as CoordinatorHeartbeatRequest } from '../../../coordinator/coordinator-api';

/** Heartbeat request, every version's fields. */
export type HeartbeatRequest = CoordinatorHeartbeatRequest;

/** Heartbeat response, every version's fields. */
export interface HeartbeatResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  readonly errorCode: number;
}
