/** FindCoordinator request, every version's fields. */
export interface FindCoordinatorRequest {
  /** The group id (key type 0) or transactional id (key type 1). */
  key: string;
  /** v1+; v0 looks up groups only (0). */
  keyType: number;
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
}
