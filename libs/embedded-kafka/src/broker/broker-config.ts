import { InvalidConfigError } from '../errors/kafka-broker-error';
import type { BrokerLogger, Clock } from './broker-services';
import type { BrokerExtensionFactory } from './broker-extension';
import {
  BROKER_SASL_MECHANISMS,
  type ListenerSaslOptions,
  type ListenerTlsOptions,
  type SecurityProtocol,
} from '../security/security-options';
import { parseAclRule, type AclRule } from '../security/acl/acl-rule';
import type { AclOptions } from '../security/acl/authorizer';

/** When appended data is fsynced to disk. */
export type FsyncPolicy = 'never' | 'always' | { readonly intervalMs: number };

/** Options accepted by `EmbeddedKafka.start()`; every field is optional. */
export interface EmbeddedKafkaOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind (default `127.0.0.1`). */
  host?: string;
  /** Host advertised in Metadata (default: `host`, or `127.0.0.1` for `0.0.0.0`). */
  advertisedHost?: string;
  /** Broker id (default 1). */
  nodeId?: number;
  /** Data directory; a fresh temp dir (removed on stop) when omitted. */
  dataDir?: string;
  /** Create unknown topics on Metadata/Produce (default true, like `auto.create.topics.enable`). */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics (default 1, like `num.partitions`). */
  numPartitions?: number;
  /** Broker-wide topic config defaults (Kafka names, e.g. `retention.ms`). */
  topicDefaults?: Record<string, string>;
  /** fsync policy for appended data (default `never`, as Kafka relies on the page cache). */
  fsync?: FsyncPolicy;
  /** How often the cleaner compacts compact topics and applies retention (ms, default 30000). */
  logCleanerIntervalMs?: number;
  /** Consumer-group initial rebalance delay (ms, default 3000 like Kafka; use 0 in tests). */
  groupInitialRebalanceDelayMs?: number;
  /** Minimum session timeout a group member may ask for (ms, default 6000). */
  groupMinSessionTimeoutMs?: number;
  /** Maximum session timeout a group member may ask for (ms, default 1800000). */
  groupMaxSessionTimeoutMs?: number;
  /** Largest request frame accepted (bytes, default 100 MiB like `socket.request.max.bytes`). */
  maxRequestBytes?: number;
  /**
   * Bytes of recent appends each partition keeps in memory to serve fetches without reading the
   * file (default 8 MiB; 0 turns the cache off). The broker holds at most this much per partition,
   * and all partitions together at most {@link readCacheBudgetBytes} (default 0: no cache at all).
   */
  partitionCacheBytes?: number;
  /**
   * The most the read caches of all partitions hold together (bytes, default 0: caching off, a
   * Fetch reads the segment files through the OS page cache, as Kafka does; the cache cost the
   * broker more CPU than it saved, see the README's Memory section): one least-recently-used order
   * over every partition, so the broker's memory does not grow with the number of partitions or the
   * data stored. Metric `kafka_server_read_cache_bytes`.
   */
  readCacheBudgetBytes?: number;
  /** Largest transaction timeout a producer may ask for (ms, default 900000 like `transaction.max.timeout.ms`). */
  transactionMaxTimeoutMs?: number;
  /**
   * How often transactions open longer than their timeout are aborted (ms, default 10000 like
   * `transaction.abort.timed.out.transaction.cleanup.interval.ms`).
   */
  transactionAbortTimedOutIntervalMs?: number;
  /** Port for the Prometheus `/metrics` endpoint; none when omitted. */
  metricsPort?: number;
  /** Logger; defaults to a silent one. */
  logger?: BrokerLogger;
  /** Clock; defaults to `Date.now`. */
  clock?: Clock;
  /** Extra broker extensions (the group coordinator is built in). */
  extensions?: readonly BrokerExtensionFactory[];
  /** Require SASL (PLAIN, SCRAM-SHA-256/512) on every connection; off by default. */
  sasl?: ListenerSaslOptions;
  /** Serve TLS (PEM certificate and key; optional client certificates); off by default. */
  tls?: ListenerTlsOptions;
  /**
   * Enforce ACLs (Kafka's `StandardAuthorizer` with `allow.everyone.if.no.acl.found=false`): rules
   * and super users; everything not allowed is denied with Kafka's authorization errors. Off by
   * default. The principal is `User:<SASL user>` (or the TLS client certificate's subject),
   * `User:ANONYMOUS` without authentication.
   */
  acls?: AclOptions;
}

/** Default of {@link EmbeddedKafkaOptions.readCacheBudgetBytes}: 0, the read cache off. */
export const DEFAULT_READ_CACHE_BUDGET_BYTES = 0;

const SILENT: BrokerLogger = { info: () => {}, warn: () => {}, error: () => {} };
const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** Resolved, validated broker configuration. Build it with {@link BrokerConfig.from}. */
export class BrokerConfig {
  private constructor(
    readonly port: number,
    readonly host: string,
    readonly advertisedHost: string,
    readonly nodeId: number,
    readonly dataDir: string | undefined,
    readonly autoCreateTopics: boolean,
    readonly numPartitions: number,
    readonly topicDefaults: Readonly<Record<string, string>>,
    readonly fsync: FsyncPolicy,
    readonly logCleanerIntervalMs: number,
    readonly groupInitialRebalanceDelayMs: number,
    readonly groupMinSessionTimeoutMs: number,
    readonly groupMaxSessionTimeoutMs: number,
    readonly maxRequestBytes: number,
    readonly transactionMaxTimeoutMs: number,
    readonly transactionAbortTimedOutIntervalMs: number,
    readonly metricsPort: number | undefined,
    readonly logger: BrokerLogger,
    readonly clock: Clock,
    readonly extensions: readonly BrokerExtensionFactory[],
    readonly sasl: ListenerSaslOptions | undefined,
    readonly tls: ListenerTlsOptions | undefined,
    readonly acls: { readonly rules: readonly AclRule[]; readonly superUsers: readonly string[] } | undefined,
    readonly partitionCacheBytes: number,
    readonly readCacheBudgetBytes: number,
  ) {}

  /** The listener's security protocol, as Kafka names it. */
  get securityProtocol(): SecurityProtocol {
    if (this.sasl) return this.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
    return this.tls ? 'SSL' : 'PLAINTEXT';
  }

  /** Validates options and fills defaults; throws {@link InvalidConfigError} naming the bad option. */
  static from(options: EmbeddedKafkaOptions = {}): BrokerConfig {
    const port = options.port ?? 0;
    checkInt('port', port, 0, 65535);
    const host = options.host ?? '127.0.0.1';
    const advertisedHost =
      options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
    const nodeId = options.nodeId ?? 1;
    checkInt('nodeId', nodeId, 0, 2 ** 31 - 1);
    const numPartitions = options.numPartitions ?? 1;
    checkInt('numPartitions', numPartitions, 1, 100000);
    const fsync = options.fsync ?? 'never';
    if (typeof fsync === 'object') checkInt('fsync.intervalMs', fsync.intervalMs, 1, 2 ** 31 - 1);
    else if (fsync !== 'never' && fsync !== 'always')
      throw new InvalidConfigError(`fsync must be 'never', 'always' or { intervalMs }, got ${String(fsync)}`);
    const cleaner = options.logCleanerIntervalMs ?? 30000;
    checkInt('logCleanerIntervalMs', cleaner, 1, 2 ** 31 - 1);
    const delay = options.groupInitialRebalanceDelayMs ?? 3000;
    checkInt('groupInitialRebalanceDelayMs', delay, 0, 2 ** 31 - 1);
    const minSession = options.groupMinSessionTimeoutMs ?? 6000;
    const maxSession = options.groupMaxSessionTimeoutMs ?? 1800000;
    checkInt('groupMinSessionTimeoutMs', minSession, 0, 2 ** 31 - 1);
    checkInt('groupMaxSessionTimeoutMs', maxSession, minSession, 2 ** 31 - 1);
    const maxRequestBytes = options.maxRequestBytes ?? 100 * 1024 * 1024;
    checkInt('maxRequestBytes', maxRequestBytes, 1024, 2 ** 31 - 1);
    const partitionCacheBytes = options.partitionCacheBytes ?? 8 * 1024 * 1024;
    checkInt('partitionCacheBytes', partitionCacheBytes, 0, 2 ** 31 - 1);
    const readCacheBudgetBytes = options.readCacheBudgetBytes ?? DEFAULT_READ_CACHE_BUDGET_BYTES;
    checkInt('readCacheBudgetBytes', readCacheBudgetBytes, 0, Number.MAX_SAFE_INTEGER);
    const txnMaxTimeout = options.transactionMaxTimeoutMs ?? 900000;
    checkInt('transactionMaxTimeoutMs', txnMaxTimeout, 1, 2 ** 31 - 1);
    const txnAbortInterval = options.transactionAbortTimedOutIntervalMs ?? 10000;
    checkInt('transactionAbortTimedOutIntervalMs', txnAbortInterval, 1, 2 ** 31 - 1);
    if (options.metricsPort !== undefined) checkInt('metricsPort', options.metricsPort, 0, 65535);
    if (options.sasl !== undefined) checkSasl(options.sasl);
    if (options.tls !== undefined) checkTls(options.tls);
    const acls = options.acls !== undefined ? checkAcls(options.acls) : undefined;
    return new BrokerConfig(
      port,
      host,
      advertisedHost,
      nodeId,
      options.dataDir,
      options.autoCreateTopics ?? true,
      numPartitions,
      { ...(options.topicDefaults ?? {}) },
      fsync,
      cleaner,
      delay,
      minSession,
      maxSession,
      maxRequestBytes,
      txnMaxTimeout,
      txnAbortInterval,
      options.metricsPort,
      options.logger ?? SILENT,
      options.clock ?? SYSTEM_CLOCK,
      options.extensions ?? [],
      options.sasl,
      options.tls,
      acls,
      partitionCacheBytes,
      readCacheBudgetBytes,
    );
  }
}

function checkInt(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidConfigError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
}

function checkSasl(sasl: ListenerSaslOptions): void {
  const mechanisms = sasl.mechanisms ?? BROKER_SASL_MECHANISMS;
  if (mechanisms.length === 0)
    throw new InvalidConfigError('sasl.mechanisms must name at least one mechanism');
  for (const m of mechanisms) {
    if (!(BROKER_SASL_MECHANISMS as readonly string[]).includes(m))
      throw new InvalidConfigError(
        `sasl.mechanisms: ${String(m)} is not one of ${BROKER_SASL_MECHANISMS.join(', ')}`,
      );
  }
  const users = Object.entries(sasl.users ?? {});
  if (users.length === 0) throw new InvalidConfigError('sasl.users must hold at least one user');
  for (const [user, password] of users) {
    if (user.length === 0) throw new InvalidConfigError('sasl.users: a user name is empty');
    if (typeof password !== 'string' || password.length === 0)
      throw new InvalidConfigError(`sasl.users: the password of ${user} is empty`);
  }
}

function checkTls(t: ListenerTlsOptions): void {
  if (!t.cert?.includes('-----BEGIN')) throw new InvalidConfigError('tls.cert must be a PEM certificate');
  if (!t.key?.includes('-----BEGIN')) throw new InvalidConfigError('tls.key must be a PEM private key');
  const auth = t.clientAuth ?? 'none';
  if (auth !== 'none' && auth !== 'requested' && auth !== 'required')
    throw new InvalidConfigError(`tls.clientAuth must be none, requested or required, got ${String(auth)}`);
  if (auth !== 'none' && t.ca === undefined)
    throw new InvalidConfigError(`tls.clientAuth ${auth} needs tls.ca`);
}

function checkAcls(acls: AclOptions): { rules: AclRule[]; superUsers: string[] } {
  if (!Array.isArray(acls.rules)) throw new InvalidConfigError('acls.rules must be an array');
  const rules: AclRule[] = [];
  for (const r of acls.rules as readonly (AclRule | string)[]) {
    try {
      rules.push(...(typeof r === 'string' ? parseAclRule(r) : parseAclRule(formatRule(r))));
    } catch (err) {
      throw new InvalidConfigError(`acls.rules: ${(err as Error).message}`);
    }
  }
  const superUsers = [...(acls.superUsers ?? [])];
  for (const u of superUsers)
    if (!/^User:.+$/.test(u)) throw new InvalidConfigError(`acls.superUsers: "${u}" is not User:<name>`);
  return { rules, superUsers };
}

/** An {@link AclRule} object in the file format, so it is validated as a line would be. */
function formatRule(r: AclRule): string {
  const name = r.resourceType === 'Cluster' ? '' : `:${r.name}${r.pattern === 'prefixed' ? '*' : ''}`;
  return `${r.permission} ${r.principal} ${r.operation} ${r.resourceType}${name}`;
}
