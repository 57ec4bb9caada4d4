import { KafkaConnectionError, parseKafkaConnection, toKafkaJsConnection } from '@gmart/kafka-connection';
import type { KafkaConfig } from 'kafkajs';
import { TopicsConfigError } from '../errors/deploy-error';

/**
 * Builds a kafkajs client config from the same environment variables the services read, parsed by
 * `@gmart/kafka-connection` exactly as the services parse them: `KAFKA_BROKERS` (required),
 * `KAFKA_SSL`, `KAFKA_SSL_CA_FILE`, `KAFKA_SSL_CERT_FILE`, `KAFKA_SSL_KEY_FILE`,
 * `KAFKA_SSL_SERVERNAME`, `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`, plus
 * `KAFKA_CLIENT_ID`. Throws {@link TopicsConfigError} naming every variable at fault; secrets never
 * appear in messages.
 */
export function kafkaConfigFromEnv(env: NodeJS.ProcessEnv, defaultClientId: string): KafkaConfig {
  try {
    const connection = toKafkaJsConnection(parseKafkaConnection(env));
    return { clientId: env.KAFKA_CLIENT_ID?.trim() || defaultClientId, ...connection };
  } catch (err) {
    if (err instanceof KafkaConnectionError) {
      throw new TopicsConfigError(err.problems.map((p) => `${p.variable}: ${p.reason}`).join('; '), err);
    }
    throw err;
  }
}
