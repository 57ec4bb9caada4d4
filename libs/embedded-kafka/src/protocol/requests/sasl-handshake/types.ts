/** SaslHandshake request, every version's fields. */
export interface SaslHandshakeRequest {
  readonly mechanism: string;
}

/** SaslHandshake response, every version's fields. */
export interface SaslHandshakeResponse {
  readonly errorCode: number;
  /** The mechanisms the listener offers. */
  readonly mechanisms: readonly string[];
}
