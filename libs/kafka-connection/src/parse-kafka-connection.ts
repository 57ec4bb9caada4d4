import { z } from 'zod';
import { KafkaConnectionError, type ConnectionProblem } from './connection-problem';
import { KAFKA_CONNECTION_VARIABLES, kafkaConnectionEnvShape } from './kafka-connection-env';
import type { KafkaConnectionSettings, SaslMechanism } from './kafka-connection-settings';
import { readTlsFiles } from './read-tls-files';

/** The connection variables after zod parsing (`kafkaConnectionEnvShape`). */
export type KafkaConnectionEnv = z.output<z.ZodObject<ReturnType<typeof kafkaConnectionEnvShape>>>;

const TLS_FILE_VARIABLES = [
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SSL_SERVERNAME',
] as const;

/**
 * Rules between the connection variables, on the raw (non-empty) values: SASL needs all three
 * variables and credentials need a mechanism; TLS file variables need `KAFKA_SSL=true`; a client
 * certificate needs its key and the other way round.
 */
export function kafkaConnectionCrossChecks(
  raw: Readonly<Record<string, string | undefined>>,
): ConnectionProblem[] {
  const problems: ConnectionProblem[] = [];
  const set = (name: string) => raw[name] !== undefined;
  if (set('KAFKA_SASL_MECHANISM')) {
    for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) {
      if (!set(variable)) problems.push({ variable, reason: 'is required when KAFKA_SASL_MECHANISM is set' });
    }
  } else {
    for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) {
      if (set(variable)) problems.push({ variable, reason: 'is set but KAFKA_SASL_MECHANISM is not' });
    }
  }
  const ssl = raw.KAFKA_SSL?.trim().toLowerCase() === 'true';
  for (const variable of TLS_FILE_VARIABLES) {
    if (set(variable) && !ssl) problems.push({ variable, reason: 'is set but KAFKA_SSL is not true' });
  }
  if (ssl && set('KAFKA_SSL_CERT_FILE') !== set('KAFKA_SSL_KEY_FILE')) {
    const missing = set('KAFKA_SSL_CERT_FILE') ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE';
    const other = missing === 'KAFKA_SSL_KEY_FILE' ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
    problems.push({ variable: missing, reason: `is required when ${other} is set (mutual TLS)` });
  }
  return problems;
}

/**
 * The settings of parsed, cross-checked variables: reads and checks the TLS files. Returns the
 * problems (unreadable, malformed or expired files, a key that does not match) instead of settings
 * when there are any.
 */
export function kafkaConnectionOf(
  env: KafkaConnectionEnv,
  now = Date.now(),
):
  | { readonly settings: KafkaConnectionSettings; readonly problems: [] }
  | { readonly problems: ConnectionProblem[] } {
  let ssl: KafkaConnectionSettings['ssl'] = false;
  if (env.KAFKA_SSL) {
    const { tls, problems } = readTlsFiles(env, now);
    if (problems.length > 0) return { problems };
    ssl = tls;
  }
  const settings: KafkaConnectionSettings = {
    brokers: env.KAFKA_BROKERS,
    ssl,
    ...(env.KAFKA_SASL_MECHANISM !== undefined
      ? {
          sasl: {
            mechanism: env.KAFKA_SASL_MECHANISM as SaslMechanism,
            username: env.KAFKA_SASL_USERNAME!,
            password: env.KAFKA_SASL_PASSWORD!,
          },
        }
      : {}),
  };
  return { settings, problems: [] };
}

/** The connection variables of `env` that are set and not blank (blank counts as unset). */
export function connectionVariablesOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const name of KAFKA_CONNECTION_VARIABLES) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') raw[name] = v;
  }
  return raw;
}

/** One problem per variable (the first). */
export function firstProblemPerVariable<P extends ConnectionProblem>(problems: readonly P[]): P[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.variable) && seen.add(p.variable));
}

/**
 * Parses the Kafka connection variables of `env` (`KAFKA_BROKERS`, `KAFKA_SSL`,
 * `KAFKA_SSL_CA_FILE`, `KAFKA_SSL_CERT_FILE`, `KAFKA_SSL_KEY_FILE`, `KAFKA_SSL_SERVERNAME`,
 * `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`), the same way for every
 * service and tool. Blank values count as unset. Throws a {@link KafkaConnectionError} listing
 * every bad or missing variable by name, never a value.
 *
 * @example
 * const settings = parseKafkaConnection(process.env);
 * const kafka = new Kafka({ clientId: 'tool', ...toKafkaJsConnection(settings) });
 */
export function parseKafkaConnection(
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): KafkaConnectionSettings {
  const raw = connectionVariablesOf(env);
  const parsed = z.object(kafkaConnectionEnvShape()).safeParse(raw);
  const problems: ConnectionProblem[] = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => ({
          variable: String(i.path[0] ?? '(environment)'),
          reason: i.message,
        }))),
    ...kafkaConnectionCrossChecks(raw),
  ];
  if (!parsed.success || problems.length > 0)
    throw new KafkaConnectionError(firstProblemPerVariable(problems));
  const result = kafkaConnectionOf(parsed.data, now);
  if (!('settings' in result)) throw new KafkaConnectionError(result.problems);
  return result.settings;
}
