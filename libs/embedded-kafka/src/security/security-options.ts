/** SASL mechanisms the broker can serve, as Kafka names them in `sasl.enabled.mechanisms`. */
export const BROKER_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/** A SASL mechanism name. */
export type BrokerSaslMechanism = (typeof BROKER_SASL_MECHANISMS)[number];

/** SASL on the listener (Kafka's `SASL_PLAINTEXT`, or `SASL_SSL` with {@link ListenerTlsOptions}). */
export interface ListenerSaslOptions {
  /** Mechanisms offered (default all of {@link BROKER_SASL_MECHANISMS}). */
  readonly mechanisms?: readonly BrokerSaslMechanism[];
  /**
   * Users and their passwords. The broker keeps SCRAM credentials (salted, 4096 iterations, as
   * `kafka-configs --alter --add-config SCRAM-SHA-256=...` makes them) and compares PLAIN
   * passwords in constant time; passwords are never logged.
   */
  readonly users: Readonly<Record<string, string>>;
}

/** TLS on the listener (Kafka's `SSL`, or `SASL_SSL` with {@link ListenerSaslOptions}). */
export interface ListenerTlsOptions {
  /** PEM certificate chain of the broker. */
  readonly cert: string;
  /** PEM private key of the broker. */
  readonly key: string;
  /** PEM CA(s) that client certificates must chain to (mutual TLS). */
  readonly ca?: string;
  /**
   * Client certificates (Kafka's `ssl.client.auth`): `none` (default), `requested` (checked when
   * sent) or `required` (a client without a trusted certificate is refused).
   */
  readonly clientAuth?: 'none' | 'requested' | 'required';
}

/** The listener's security protocol, as Kafka names it. */
export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
