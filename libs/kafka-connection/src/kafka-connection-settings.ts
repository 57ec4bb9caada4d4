/** SASL mechanisms accepted by `KAFKA_SASL_MECHANISM` (case-insensitive): the ones kafkajs supports without plugins. */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** A SASL mechanism, lower-case as kafkajs names it. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** SASL credentials (`KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`). */
export interface SaslSettings {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  /** A secret: never log it (redact `sasl.password`). */
  readonly password: string;
}

/**
 * TLS to the brokers (`KAFKA_SSL=true`), with the PEM contents of the files named by the
 * variables, read once when the settings are parsed.
 */
export interface TlsSettings {
  /** `KAFKA_SSL_CA_FILE`: CAs trusted for the brokers' certificates (the system CAs when absent). */
  readonly ca?: readonly string[];
  /** `KAFKA_SSL_CERT_FILE`: client certificate chain for mutual TLS. */
  readonly cert?: string;
  /** `KAFKA_SSL_KEY_FILE`: private key of the client certificate (a secret: never log it). */
  readonly key?: string;
  /** `KAFKA_SSL_SERVERNAME`: name checked against the brokers' certificates (SNI), instead of each broker's host. */
  readonly servername?: string;
}

/** How to reach and authenticate to Kafka. */
export interface KafkaConnectionSettings {
  /** `KAFKA_BROKERS`: bootstrap servers, `host:port`. */
  readonly brokers: readonly string[];
  /** `false` (plain TCP), or TLS settings. */
  readonly ssl: false | TlsSettings;
  /** SASL credentials; absent: no SASL. */
  readonly sasl?: SaslSettings;
}
