import type { KafkaConnectionSettings, SaslMechanism } from './kafka-connection-settings';

/** kafkajs' SASL options: one member per mechanism, as kafkajs' `SASLOptions` union. */
export type KafkaJsSasl = {
  [M in SaslMechanism]: { mechanism: M; username: string; password: string };
}[SaslMechanism];

/** The connection part of a kafkajs `KafkaConfig` (structurally typed, so this package needs no kafkajs). */
export interface KafkaJsConnection {
  brokers: string[];
  ssl?: true | { ca?: string[]; cert?: string; key?: string; servername?: string };
  sasl?: KafkaJsSasl;
}

/**
 * kafkajs `brokers`, `ssl` and `sasl` for `settings`, e.g.
 * `new Kafka({ clientId, ...toKafkaJsConnection(settings) })`. Also what `@gmart/streams`'
 * `ssl`/`sasl` options take (its platformatic client maps them to TLS and SASL options).
 */
export function toKafkaJsConnection(settings: KafkaConnectionSettings): KafkaJsConnection {
  const out: KafkaJsConnection = { brokers: [...settings.brokers] };
  if (settings.ssl !== false) {
    const { ca, cert, key, servername } = settings.ssl;
    const tls = {
      ...(ca ? { ca: [...ca] } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(servername !== undefined ? { servername } : {}),
    };
    out.ssl = Object.keys(tls).length === 0 ? true : tls;
  }
  if (settings.sasl) {
    const { mechanism, username, password } = settings.sasl;
    out.sasl = { mechanism, username, password } as KafkaJsSasl;
  }
  return out;
}
