/** One step of a server-side SASL exchange. */
export type SaslStep =
  /** Send `challenge` and wait for the client's next token. */
  | { readonly kind: 'continue'; readonly challenge: Buffer }
  /** Authenticated as `user`; `challenge` is the server's final message (may be empty). */
  | { readonly kind: 'done'; readonly user: string; readonly challenge: Buffer }
  /** Refused: `message` is what Kafka says to the client (never a secret). */
  | { readonly kind: 'failed'; readonly message: string };

/** The server side of one SASL mechanism's exchange on one connection. */
export interface SaslExchange {
  /** Consumes the client's next token. */
  step(token: Buffer): SaslStep;
}
