import { parseFlags, wholeNumber } from '@gmart/command-line';
import {
  KafkaConnectionError,
  parseKafkaConnection,
  type KafkaConnectionSettings,
} from '@gmart/kafka-connection';
import { GmartError } from '../errors/gmart-error';

/** Options of the `generate` CLI, parsed and checked. */
export interface GenerateOptions {
  /** Records per second. */
  readonly rate: number;
  /** Records to produce; `undefined` means unbounded (until SIGINT/SIGTERM). */
  readonly count: number | undefined;
  /** `--brokers`, else `KAFKA_BROKERS`, else `localhost:9092`. */
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Partitions used when the CLI has to create the topic. */
  readonly partitions: number;
  readonly seed: number;
  readonly customers: number;
  /** Event time of the first purchase (epoch ms). */
  readonly startTime: number;
  /** Record key: none (as in the seed) or the customer id. */
  readonly key: 'none' | 'customer';
  readonly clientId: string;
  /** TLS from `KAFKA_SSL` and `KAFKA_SSL_*` (the services' variables, `@gmart/kafka-connection`). */
  readonly ssl: KafkaConnectionSettings['ssl'];
  /** SASL from `KAFKA_SASL_MECHANISM` / `_USERNAME` / `_PASSWORD`. */
  readonly sasl?: KafkaConnectionSettings['sasl'];
  readonly help: boolean;
}

/** A command-line problem: the message says which flag and why. */
export class UsageError extends GmartError {}

export const GENERATE_USAGE = `Usage: npm run generate -- [options]

Produces generated G-Mart purchases (JSON, card numbers unmasked) to Kafka.
TLS and SASL come from the services' variables: KAFKA_SSL, KAFKA_SSL_CA_FILE,
KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE, KAFKA_SSL_SERVERNAME, KAFKA_SASL_MECHANISM
(plain|scram-sha-256|scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.

  --rate <n>         records per second (default 100)
  --count <n>        records to produce, then exit (default: unbounded, stop with Ctrl-C)
  --brokers <list>   comma-separated bootstrap servers (default $KAFKA_BROKERS or localhost:9092)
  --topic <name>     topic to produce to (default $TOPIC_TRANSACTIONS or transactions)
  --partitions <n>   partitions if the topic has to be created (default 6)
  --seed <n>         random seed: same seed, same customers and purchases (default 1)
  --customers <n>    distinct customers (default 500)
  --start-time <iso> event time of the first purchase (default now)
  --key <none|customer>  record key (default none, as in the seed)
  --client-id <id>   Kafka client id (default gmart-generator)
  --help             show this help
`;

/** A whole-number flag within `[min, max]`, or `fallback` when absent; a {@link UsageError} otherwise. */
export function integer(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  return wholeNumber(flag, raw, { fallback, min, max }, (m) => new UsageError(m));
}

/**
 * Parses the `generate` CLI's arguments (without `node` and the script) and environment.
 * Throws a {@link UsageError} naming the flag on any unknown flag or bad value.
 */
export function parseGenerateOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): GenerateOptions {
  const { values, help } = parseFlags(
    argv,
    [
      'rate',
      'count',
      'brokers',
      'topic',
      'partitions',
      'seed',
      'customers',
      'start-time',
      'key',
      'client-id',
    ],
    { error: (m) => new UsageError(m) },
  );
  const str = (k: keyof typeof values) => values[k];
  const fromEnv = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const topic = str('topic') ?? fromEnv('TOPIC_TRANSACTIONS') ?? 'transactions';
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic))
    throw new UsageError(`--topic is not a valid Kafka topic name: "${topic}"`);
  const key = str('key') ?? 'none';
  if (key !== 'none' && key !== 'customer')
    throw new UsageError(`--key must be "none" or "customer", got "${key}"`);
  let startTime = now;
  const rawStart = str('start-time');
  if (rawStart !== undefined) {
    startTime = Date.parse(rawStart);
    if (Number.isNaN(startTime))
      throw new UsageError(`--start-time must be an ISO-8601 date-time, got "${rawStart}"`);
  }
  const countRaw = str('count');
  const connection = connectionFromArgs(str('brokers'), env);
  return {
    rate: integer('rate', str('rate'), 100, 1, 10_000_000),
    count: countRaw === undefined ? undefined : integer('count', countRaw, 0, 1, Number.MAX_SAFE_INTEGER),
    topic,
    partitions: integer('partitions', str('partitions'), 6, 1, 10_000),
    seed: integer('seed', str('seed'), 1, 0, 2 ** 31 - 1),
    customers: integer('customers', str('customers'), 500, 1, 1_000_000),
    startTime,
    key,
    clientId: str('client-id') ?? 'gmart-generator',
    ...connection,
    help,
  };
}

/**
 * Brokers, TLS and SASL of a generator CLI: `--brokers` (else `KAFKA_BROKERS`, else
 * `localhost:9092`) and the services' `KAFKA_SSL*` / `KAFKA_SASL_*` variables, parsed by
 * `@gmart/kafka-connection` exactly as the services parse them. A problem becomes a
 * {@link UsageError} naming the flag or variable, never its value.
 */
export function connectionFromArgs(
  brokersFlag: string | undefined,
  env: NodeJS.ProcessEnv,
): Pick<GenerateOptions, 'brokers' | 'ssl' | 'sasl'> {
  const envBrokers = env.KAFKA_BROKERS?.trim() ? env.KAFKA_BROKERS : undefined;
  try {
    const { brokers, ssl, sasl } = parseKafkaConnection({
      ...env,
      KAFKA_BROKERS: brokersFlag ?? envBrokers ?? 'localhost:9092',
    });
    return { brokers, ssl, ...(sasl ? { sasl } : {}) };
  } catch (e) {
    if (!(e instanceof KafkaConnectionError)) throw e;
    const name = (v: string) => (v === 'KAFKA_BROKERS' && brokersFlag !== undefined ? '--brokers' : v);
    throw new UsageError(e.problems.map((p) => `${name(p.variable)}: ${p.reason}`).join('; '));
  }
}
