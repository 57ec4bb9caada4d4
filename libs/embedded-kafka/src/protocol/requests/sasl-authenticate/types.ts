/** SaslAuthenticate request, every version's fields. */
export interface SaslAuthenticateRequest {
  readonly authBytes: Buffer;
}

/** SaslAuthenticate response, every version's fields. */
export interface SaslAuthenticateResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
  /** v1+: 0, no re-authentication required (KIP-368 `connections.max.reauth.ms` unset). */
  readonly sessionLifetimeMs: number;
}
