/** FindCoordinator request, every version's fields. */
export interface FindCoordinatorRequest {
  /** The group id (key type 0) or transactional id (key type 1). */
  key: string;
  /** v1+; v0 looks up groups only (0). */
  keyType: number;
  /** v4+ (KIP-699): the keys to look up in one request; null before v4 (then `key` is the one key). */
  coordinatorKeys: string[] | null;
}

/** One looked-up key of a v4+ response. */
export interface FindCoordinatorResult {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

/** FindCoordinator response, every version's fields. */
export interface FindCoordinatorResponse {
  /** v1+ */
  throttleTimeMs: number;
  errorCode: number;
  /** v1+ */
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
  /** v4+: one result per requested key (the single fields above serve v0-3). */
  coordinators: FindCoordinatorResult[];
}
