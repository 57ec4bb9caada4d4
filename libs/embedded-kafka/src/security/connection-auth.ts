import type { SaslAuthenticator } from './sasl-authenticator';
import type { SaslExchange } from './sasl-exchange';

/** Principal of a connection that did not authenticate (Kafka's `User:ANONYMOUS`). */
export const ANONYMOUS = 'User:ANONYMOUS';

/**
 * Authentication state of one connection. On a SASL listener a connection may send only
 * ApiVersions, SaslHandshake and SaslAuthenticate until {@link authenticated}, as in Kafka.
 */
export class ConnectionAuth {
  /** `User:<name>` once authenticated (SASL user, or the TLS client certificate's subject). */
  principal = ANONYMOUS;
  /** The SASL mechanism chosen by SaslHandshake. */
  mechanism: string | null = null;
  /** The exchange in progress, after SaslHandshake and before success or failure. */
  exchange: SaslExchange | null = null;
  /** Whether the connection may send any request. */
  authenticated: boolean;

  constructor(
    /** The listener's SASL users, when the listener requires SASL. */
    readonly sasl: SaslAuthenticator | undefined,
    tlsPrincipal?: string,
  ) {
    this.authenticated = sasl === undefined;
    if (tlsPrincipal !== undefined) this.principal = tlsPrincipal;
  }
}
