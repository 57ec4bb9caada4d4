import type { BrokerServices } from '../broker/broker-services';
import type { ConnectionAuth } from '../security/connection-auth';
import type { RequestHeader } from './request-header';

/** The client connection a request arrived on. */
export interface ConnectionInfo {
  /** Broker-unique connection id. */
  readonly id: number;
  /** `host:port` of the client. */
  readonly remoteAddress: string;
  /** client_id from the most recent request header on this connection. */
  readonly clientId: string | null;
  /**
   * Client software name and version from ApiVersions v3+ (KIP-511), e.g.
   * `librdkafka` / `2.0.2`; null until the client sent one.
   */
  clientSoftware: { readonly name: string; readonly version: string } | null;
  /** Authentication state: principal, SASL exchange (SaslHandshake/SaslAuthenticate). */
  readonly auth: ConnectionAuth;
}

/**
 * Everything a handler receives besides its decoded request: the request header
 * (with the api version), the connection, and the broker's services.
 */
export interface RequestContext {
  readonly header: RequestHeader;
  /** Shortcut for `header.apiVersion`. */
  readonly apiVersion: number;
  readonly connection: ConnectionInfo;
  readonly services: BrokerServices;
  /**
   * For handlers that wait (Fetch long-poll): registers `wake`, called once if
   * another request arrives on this connection while this one is still waiting,
   * so the handler can answer early instead of holding that response back.
   */
  onQueuedBehind(wake: () => void): void;
  /**
   * Closes the connection once this request's response is written (a failed SASL exchange:
   * the client reads the error, then the broker hangs up, as Kafka does).
   */
  closeAfterResponse(reason: string): void;
}
