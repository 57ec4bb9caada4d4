import { kafkaConnectionCrossChecks, kafkaConnectionOf } from '@gmart/kafka-connection';
import { z } from 'zod';
import type { MetricsRecordingLevel } from '@gmart/streams';
import { ConfigError, type ConfigProblem } from '../errors/config-error';
import { Env } from './env';
import type { StreamsServiceConfig } from './service-config';
import { TOPIC_VARIABLE_PREFIX, interactiveQueriesEnvShape, streamsEnvShape } from './streams-env-schema';

/** Describes one environment variable of a service. */
export interface VariableInfo {
  readonly name: string;
  readonly required: boolean;
  /** Default as the raw string it stands for, if any. */
  readonly default: string | undefined;
  readonly description: string | undefined;
}

/** What a service declares in its `*.config.ts`. */
export interface ServiceConfigSpec<TTopic extends string, TExtra extends Record<string, z.ZodType>> {
  /** Service name, kebab-case (`masking`, `coupon-join`): sets the defaults of `APPLICATION_ID` and `HTTP_PORT`. */
  readonly service: string;
  /** Topics, by name, with the seed's defaults: `{ TRANSACTIONS: 'transactions' }` reads `TOPIC_TRANSACTIONS`. */
  readonly topics?: Readonly<Record<TTopic, string>>;
  /** The service's own variables as zod schemas over the raw string (see `Env`). */
  readonly variables?: TExtra;
  /** Overrides the default HTTP port of the service. */
  readonly httpPort?: number;
  /** Default of `PROCESSING_GUARANTEE` (`at_least_once` when omitted). */
  readonly processingGuarantee?: 'at_least_once' | 'exactly_once_v2';
  /**
   * The service answers interactive queries across its instances (`InteractiveQueries`): adds
   * `APPLICATION_SERVER` and has the streams client advertise this instance's `host:port`.
   */
  readonly interactiveQueries?: boolean;
}

/** A service's configuration: its schema, its variables, and `load()`. */
export interface ServiceConfigDefinition<TTopic extends string, TExtra extends Record<string, z.ZodType>> {
  readonly service: string;
  /** The zod schema of every variable, keyed by variable name. */
  readonly schema: z.ZodObject;
  /** Every variable with whether it is required and its default. */
  variables(): VariableInfo[];
  /** Names of the variables without a default that must be set. */
  requiredVariables(): string[];
  /**
   * Reads and validates `env` (default `process.env`). Empty values count as unset. Throws a
   * {@link ConfigError} listing every bad or missing variable by name.
   */
  load(env?: NodeJS.ProcessEnv): StreamsServiceConfig<TTopic, { [K in keyof TExtra]: z.output<TExtra[K]> }>;
}

function problemsOf(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((i) => ({ variable: String(i.path[0] ?? '(environment)'), reason: i.message }));
}

/** Rules between variables, checked on the raw values so they are reported with the other problems. */
function crossChecks(raw: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = kafkaConnectionCrossChecks(raw);
  if ((raw.KAFKA_CLIENT ?? 'kafkajs') === 'kafkajs') {
    if (raw.KAFKA_GROUP_INSTANCE_ID !== undefined)
      problems.push({
        variable: 'KAFKA_GROUP_INSTANCE_ID',
        reason: 'needs KAFKA_CLIENT=platformatic (kafkajs has no static membership)',
      });
    if (raw.KAFKA_REBALANCE_PROTOCOL === 'cooperative')
      problems.push({
        variable: 'KAFKA_REBALANCE_PROTOCOL',
        reason: 'cooperative needs KAFKA_CLIENT=platformatic (kafkajs rebalances eagerly only)',
      });
  }
  return problems;
}

/** One problem per variable (the first). */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.variable) && seen.add(p.variable));
}

function defaultOf(schema: z.ZodType): string | undefined {
  const r = schema.safeParse(undefined);
  if (!r.success || r.data === undefined) return undefined;
  const v = r.data as unknown;
  return Array.isArray(v) ? v.join(',') : String(v);
}

/**
 * Declares a streams service's configuration: the shared variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID`, `HTTP_PORT`, `LOG_LEVEL`, `SHUTDOWN_TIMEOUT_MS`, `STATE_DIR`,
 * `COMMIT_INTERVAL_MS`, `PROCESSING_GUARANTEE`, `KAFKA_CLIENT_ID`, `KAFKA_SSL*` and `KAFKA_SASL_*` (parsed by `@gmart/kafka-connection`),
 * `DLQ_TOPIC`), one `TOPIC_<NAME>` per declared topic, and the service's own variables.
 *
 * @example
 * export const maskingConfig = defineServiceConfig({
 *   service: 'masking',
 *   topics: { TRANSACTIONS: 'transactions', PURCHASES: 'purchases' },
 * });
 * export type MaskingConfig = ConfigOf<typeof maskingConfig>;
 */
export function defineServiceConfig<
  TTopic extends string = never,
  TExtra extends Record<string, z.ZodType> = Record<never, z.ZodType>,
>(spec: ServiceConfigSpec<TTopic, TExtra>): ServiceConfigDefinition<TTopic, TExtra> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(spec.service)) {
    throw new TypeError(`service must be a kebab-case name, got "${spec.service}"`);
  }
  const topics = (spec.topics ?? {}) as Record<string, string>;
  const topicShape: Record<string, z.ZodType> = {};
  for (const [name, fallback] of Object.entries(topics)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name))
      throw new TypeError(`topic names must be UPPER_SNAKE_CASE, got "${name}"`);
    topicShape[TOPIC_VARIABLE_PREFIX + name] = Env.topic(`Topic ${name.toLowerCase()}`, fallback);
  }
  const streamsShape = streamsEnvShape(spec.service, {
    httpPort: spec.httpPort,
    processingGuarantee: spec.processingGuarantee,
  });
  const queriesShape = spec.interactiveQueries ? interactiveQueriesEnvShape() : {};
  const baseShape = { ...streamsShape, ...queriesShape };
  const extra = (spec.variables ?? {}) as Record<string, z.ZodType>;
  for (const name of Object.keys(extra)) {
    if (name in baseShape || name in topicShape)
      throw new TypeError(`variable ${name} is already defined by nest-streams`);
  }
  const schema = z.object({ ...baseShape, ...topicShape, ...extra });
  // Parsed in two parts so the base variables keep their types (the service's own are only known
  // by name here); the problems come out in the same order as from `schema`, whose keys are these.
  const baseSchema = z.object(streamsShape);
  const restSchema = z.object({ ...queriesShape, ...topicShape, ...extra });

  const variables = (): VariableInfo[] =>
    Object.entries(schema.shape).map(([name, s]) => {
      const field = s as z.ZodType;
      const accepts = field.safeParse(undefined).success;
      return { name, required: !accepts, default: defaultOf(field), description: field.description };
    });

  return {
    service: spec.service,
    schema,
    variables,
    requiredVariables: () =>
      variables()
        .filter((v) => v.required)
        .map((v) => v.name),
    load(env: NodeJS.ProcessEnv = process.env) {
      const raw: Record<string, string> = {};
      for (const name of Object.keys(schema.shape)) {
        const v = env[name];
        if (v !== undefined && v.trim() !== '') raw[name] = v;
      }
      const base = baseSchema.safeParse(raw);
      const rest = restSchema.safeParse(raw);
      const problems = [
        ...(base.success ? [] : problemsOf(base.error)),
        ...(rest.success ? [] : problemsOf(rest.error)),
        ...crossChecks(raw),
      ];
      if (!base.success || !rest.success || problems.length > 0)
        throw new ConfigError(spec.service, dedupe(problems));
      const e = base.data;
      const r: Record<string, unknown> = rest.data;
      const connection = kafkaConnectionOf(e);
      if (!('settings' in connection)) throw new ConfigError(spec.service, connection.problems);
      const { brokers, ssl, sasl } = connection.settings;
      const topicValues: Record<string, string> = {};
      for (const name of Object.keys(topics)) topicValues[name] = r[TOPIC_VARIABLE_PREFIX + name] as string;
      const extraValues: Record<string, unknown> = {};
      for (const name of Object.keys(extra)) extraValues[name] = r[name];
      return {
        service: spec.service,
        applicationId: e.APPLICATION_ID,
        httpPort: e.HTTP_PORT,
        httpHost: e.HTTP_HOST,
        logLevel: e.LOG_LEVEL,
        shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
        stateDir: e.STATE_DIR,
        commitIntervalMs: e.COMMIT_INTERVAL_MS,
        processingGuarantee: e.PROCESSING_GUARANTEE,
        metricsRecordingLevel: e.METRICS_RECORDING_LEVEL.toUpperCase() as MetricsRecordingLevel,
        dlqTopic: e.DLQ_TOPIC ?? `${e.APPLICATION_ID}-dlq`,
        interactiveQueries: spec.interactiveQueries === true,
        applicationServer: r.APPLICATION_SERVER as string | undefined,
        kafka: {
          brokers,
          clientId: e.KAFKA_CLIENT_ID,
          client: e.KAFKA_CLIENT,
          groupInstanceId: e.KAFKA_GROUP_INSTANCE_ID,
          rebalanceProtocol: e.KAFKA_REBALANCE_PROTOCOL,
          ssl,
          ...(sasl ? { sasl } : {}),
        },
        topics: topicValues as Record<TTopic, string>,
        extra: extraValues as { [K in keyof TExtra]: z.output<TExtra[K]> },
      };
    },
  };
}

/** The loaded config type of a definition: `type MaskingConfig = ConfigOf<typeof maskingConfig>`. */
export type ConfigOf<D> =
  D extends ServiceConfigDefinition<infer T, infer X>
    ? StreamsServiceConfig<T, { [K in keyof X]: z.output<X[K]> }>
    : never;
