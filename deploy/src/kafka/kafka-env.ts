import fs from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { TopicsConfigError } from '../errors/deploy-error';

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Builds a kafkajs client config from the same environment variables the services read:
 * `KAFKA_BROKERS` (required, comma-separated), `KAFKA_CLIENT_ID`, `KAFKA_SSL`, `KAFKA_SSL_CA_FILE`,
 * `KAFKA_SASL_MECHANISM` (plain | scram-sha-256 | scram-sha-512), `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`.
 * Throws {@link TopicsConfigError} naming the variable at fault. Secrets never appear in messages.
 */
export function kafkaConfigFromEnv(env: NodeJS.ProcessEnv, defaultClientId: string): KafkaConfig {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0)
    throw new TopicsConfigError('KAFKA_BROKERS is required (comma-separated host:port list)');
  for (const b of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b)) throw new TopicsConfigError(`KAFKA_BROKERS: "${b}" is not host:port`);
  }
  const config: KafkaConfig = { clientId: env.KAFKA_CLIENT_ID || defaultClientId, brokers };
  const sslFlag = parseBool('KAFKA_SSL', env.KAFKA_SSL);
  if (env.KAFKA_SSL_CA_FILE) {
    let ca: string;
    try {
      ca = fs.readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8');
    } catch (err) {
      throw new TopicsConfigError(
        `KAFKA_SSL_CA_FILE: cannot read ${env.KAFKA_SSL_CA_FILE}: ${(err as Error).message}`,
        err,
      );
    }
    config.ssl = { ca: [ca] };
  } else if (sslFlag) {
    config.ssl = true;
  }
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  if (mechanism) {
    if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new TopicsConfigError(
        `KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.join(', ')} (got "${mechanism}")`,
      );
    }
    const username = env.KAFKA_SASL_USERNAME;
    const password = env.KAFKA_SASL_PASSWORD;
    if (!username || !password) {
      throw new TopicsConfigError(
        'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is set',
      );
    }
    config.sasl = { mechanism, username, password } as SASLOptions;
  }
  return config;
}

function parseBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new TopicsConfigError(`${name} must be true or false (got "${value}")`);
}
