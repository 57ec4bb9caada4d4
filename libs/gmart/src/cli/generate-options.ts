import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GmartError } from '../errors/gmart-error';

/** Options of the `generate` CLI, parsed and checked. */
export interface GenerateOptions {
  /** Records per second. */
  readonly rate: number;
  /** Records to produce; `undefined` means unbounded (until SIGINT/SIGTERM). */
  readonly count: number | undefined;
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
  /** TLS from `KAFKA_SSL` / `KAFKA_SSL_CA_FILE` (the services' variables). */
  readonly ssl: false | { readonly ca?: string[] };
  /** SASL from `KAFKA_SASL_MECHANISM` / `_USERNAME` / `_PASSWORD`. */
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  readonly help: boolean;
}

/** A command-line problem: the message says which flag and why. */
export class UsageError extends GmartError {}

export const GENERATE_USAGE = `Usage: npm run generate -- [options]

Produces generated G-Mart purchases (JSON, card numbers unmasked) to Kafka.
TLS and SASL come from the services' variables: KAFKA_SSL, KAFKA_SSL_CA_FILE,
KAFKA_SASL_MECHANISM (plain|scram-sha-256|scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.

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

/** A whole-number flag within `[min, max]`, or `fallback` when absent. */
export function integer(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${flag} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
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
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        count: { type: 'string' },
        brokers: { type: 'string' },
        topic: { type: 'string' },
        partitions: { type: 'string' },
        seed: { type: 'string' },
        customers: { type: 'string' },
        'start-time': { type: 'string' },
        key: { type: 'string' },
        'client-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const str = (k: string) => values[k] as string | undefined;
  const fromEnv = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const brokers = (str('brokers') ?? fromEnv('KAFKA_BROKERS') ?? 'localhost:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) {
    throw new UsageError(
      `--brokers must be a comma-separated list of host:port, got "${str('brokers') ?? fromEnv('KAFKA_BROKERS')}"`,
    );
  }
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
  const security = securityFromEnv(fromEnv);
  return {
    rate: integer('rate', str('rate'), 100, 1, 10_000_000),
    count: countRaw === undefined ? undefined : integer('count', countRaw, 0, 1, Number.MAX_SAFE_INTEGER),
    brokers,
    topic,
    partitions: integer('partitions', str('partitions'), 6, 1, 10_000),
    seed: integer('seed', str('seed'), 1, 0, 2 ** 31 - 1),
    customers: integer('customers', str('customers'), 500, 1, 1_000_000),
    startTime,
    key,
    clientId: str('client-id') ?? 'gmart-generator',
    ...security,
    help: values.help === true,
  };
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** TLS and SASL options from the environment; errors name the variable, never its value. */
export function securityFromEnv(
  fromEnv: (name: string) => string | undefined,
): Pick<GenerateOptions, 'ssl' | 'sasl'> {
  const sslRaw = (fromEnv('KAFKA_SSL') ?? 'false').trim().toLowerCase();
  if (sslRaw !== 'true' && sslRaw !== 'false') throw new UsageError('KAFKA_SSL must be true or false');
  const caFile = fromEnv('KAFKA_SSL_CA_FILE');
  if (caFile !== undefined && sslRaw !== 'true')
    throw new UsageError('KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not true');
  let ssl: GenerateOptions['ssl'] = false;
  if (sslRaw === 'true') {
    if (caFile === undefined) ssl = {};
    else {
      try {
        ssl = { ca: [readFileSync(caFile, 'utf8')] };
      } catch (e) {
        throw new UsageError(
          `KAFKA_SSL_CA_FILE cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
  }
  const mechanism = fromEnv('KAFKA_SASL_MECHANISM')?.trim().toLowerCase();
  if (mechanism === undefined) return { ssl };
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new UsageError(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
  }
  const username = fromEnv('KAFKA_SASL_USERNAME');
  const password = fromEnv('KAFKA_SASL_PASSWORD');
  if (username === undefined)
    throw new UsageError('KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is set');
  if (password === undefined)
    throw new UsageError('KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is set');
  return { ssl, sasl: { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username, password } };
}
