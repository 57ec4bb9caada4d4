#!/usr/bin/env node
/**
 * Command line entry: `npm run broker -- --port 9092 --data-dir .data/kafka`.
 * Runs in the foreground; SIGINT/SIGTERM stop it cleanly. `--help` prints the usage and exits 0;
 * a bad flag prints the problem and the usage and exits 2; a port in use exits 1.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EmbeddedKafka } from './broker/embedded-kafka';
import type { EmbeddedKafkaOptions, FsyncPolicy } from './broker/broker-config';
import type { BrokerLogger } from './broker/broker-services';
import type { BrokerSaslMechanism } from './security/security-options';
import { parseAclRule, parseAclText, type AclRule } from './security/acl/acl-rule';

const USAGE = `Usage: gmart-kafka [options]

  --port <n>                         port to listen on (default 9092; 0 = any free port)
  --host <addr>                      interface to bind (default 127.0.0.1)
  --advertised-host <host>           host advertised to clients (default: --host)
  --data-dir <dir>                   data directory (default: a temp dir removed on exit)
  --metrics-port <n>                 serve Prometheus metrics on GET /metrics at this port
  --num-partitions <n>               partitions of auto-created topics (default 1)
  --no-auto-create-topics            do not create unknown topics on Metadata/Produce
  --fsync <never|always|ms>          fsync policy (default never)
  --log-cleaner-interval-ms <ms>     retention/compaction pass interval (default 30000)
  --partition-cache-bytes <n>        recent bytes kept in memory per partition (default 8388608, 0 = off)
  --read-cache-budget-bytes <n>      the most all partitions' read caches hold together
                                     (default 0 = off: fetches read the files)
  --group-initial-rebalance-delay-ms <ms>  (default 3000)
  --sasl-user <name:password>        require SASL; a user (repeatable; prefer --sasl-users-file)
  --sasl-users-file <file>           require SASL; users, one name:password per line (# comments)
  --sasl-mechanisms <list>           PLAIN,SCRAM-SHA-256,SCRAM-SHA-512 (default all)
  --tls-cert-file <pem>              serve TLS with this certificate (chain)
  --tls-key-file <pem>               private key of --tls-cert-file
  --tls-ca-file <pem>                CA for client certificates (mutual TLS)
  --tls-client-auth <mode>           none (default), requested or required
  --acl <rule>                       enforce ACLs; a rule, e.g. "User:app Read Topic:orders" (repeatable)
  --acl-file <file>                  enforce ACLs; rules, one per line (# comments)
  --super-user <User:name>           enforce ACLs; a principal allowed everything (repeatable)
  --quiet                            log warnings and errors only
  -h, --help                         show this help
`;

function fail(message: string): never {
  process.stderr.write(`gmart-kafka: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) fail(`--${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

function parseFsync(v: string | undefined): FsyncPolicy | undefined {
  if (v === undefined) return undefined;
  if (v === 'never' || v === 'always') return v;
  if (/^\d+$/.test(v) && Number(v) > 0) return { intervalMs: Number(v) };
  return fail(`--fsync must be never, always or a positive interval in ms, got "${v}"`);
}

function readFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`--${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** SASL users and TLS files from the flags; a bad one exits 2 naming the flag, never a password. */
function security(values: Record<string, unknown>): Pick<EmbeddedKafkaOptions, 'sasl' | 'tls'> {
  const out: { sasl?: EmbeddedKafkaOptions['sasl']; tls?: EmbeddedKafkaOptions['tls'] } = {};
  const users: Record<string, string> = {};
  const addUser = (flag: string, line: string) => {
    const at = line.indexOf(':');
    if (at <= 0 || at === line.length - 1) fail(`--${flag}: each user must be name:password`);
    users[line.slice(0, at)] = line.slice(at + 1);
  };
  for (const u of (values['sasl-user'] as string[] | undefined) ?? []) addUser('sasl-user', u);
  const usersFile = values['sasl-users-file'] as string | undefined;
  if (usersFile !== undefined) {
    for (const line of readFile('sasl-users-file', usersFile).split(/\r?\n/)) {
      const t = line.trim();
      if (t.length > 0 && !t.startsWith('#')) addUser('sasl-users-file', t);
    }
  }
  const mechanisms = values['sasl-mechanisms'] as string | undefined;
  if (Object.keys(users).length > 0) {
    out.sasl = {
      users,
      ...(mechanisms !== undefined
        ? { mechanisms: mechanisms.split(',').map((m) => m.trim().toUpperCase()) as BrokerSaslMechanism[] }
        : {}),
    };
  } else if (mechanisms !== undefined) fail('--sasl-mechanisms needs --sasl-user or --sasl-users-file');
  const cert = values['tls-cert-file'] as string | undefined;
  const key = values['tls-key-file'] as string | undefined;
  const ca = values['tls-ca-file'] as string | undefined;
  const clientAuth = values['tls-client-auth'] as string | undefined;
  if (cert !== undefined || key !== undefined) {
    if (cert === undefined || key === undefined) fail('--tls-cert-file and --tls-key-file go together');
    if (clientAuth !== undefined && !['none', 'requested', 'required'].includes(clientAuth))
      fail(`--tls-client-auth must be none, requested or required, got "${clientAuth}"`);
    out.tls = {
      cert: readFile('tls-cert-file', cert),
      key: readFile('tls-key-file', key),
      ...(ca !== undefined ? { ca: readFile('tls-ca-file', ca) } : {}),
      ...(clientAuth !== undefined ? { clientAuth: clientAuth as 'none' | 'requested' | 'required' } : {}),
    };
  } else if (ca !== undefined || clientAuth !== undefined)
    fail('--tls-ca-file and --tls-client-auth need --tls-cert-file');
  return out;
}

/** ACL rules and super users from the flags; a bad rule exits 2 naming the flag and the rule. */
function acls(values: Record<string, unknown>): Pick<EmbeddedKafkaOptions, 'acls'> {
  const rules: AclRule[] = [];
  try {
    for (const r of (values['acl'] as string[] | undefined) ?? []) rules.push(...parseAclRule(r));
  } catch (err) {
    fail(`--acl: ${(err as Error).message}`);
  }
  const file = values['acl-file'] as string | undefined;
  if (file !== undefined) {
    try {
      rules.push(...parseAclText(readFile('acl-file', file)));
    } catch (err) {
      fail(`--acl-file ${file}: ${(err as Error).message}`);
    }
  }
  const superUsers = (values['super-user'] as string[] | undefined) ?? [];
  for (const u of superUsers) if (!/^User:.+$/.test(u)) fail(`--super-user must be User:<name>, got "${u}"`);
  if (rules.length === 0 && superUsers.length === 0 && file === undefined) return {};
  return { acls: { rules, superUsers } };
}

function stderrLogger(quiet: boolean): BrokerLogger {
  const line = (level: string, msg: string) =>
    process.stderr.write(`${new Date().toISOString()} ${level} ${msg}\n`);
  return {
    info: (m) => (quiet ? undefined : line('INFO', m)),
    warn: (m) => line('WARN', m),
    error: (m) => line('ERROR', m),
  };
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'advertised-host': { type: 'string' },
        'data-dir': { type: 'string' },
        'metrics-port': { type: 'string' },
        'num-partitions': { type: 'string' },
        'no-auto-create-topics': { type: 'boolean' },
        fsync: { type: 'string' },
        'log-cleaner-interval-ms': { type: 'string' },
        'partition-cache-bytes': { type: 'string' },
        'read-cache-budget-bytes': { type: 'string' },
        'group-initial-rebalance-delay-ms': { type: 'string' },
        'sasl-user': { type: 'string', multiple: true },
        'sasl-users-file': { type: 'string' },
        'sasl-mechanisms': { type: 'string' },
        'tls-cert-file': { type: 'string' },
        'tls-key-file': { type: 'string' },
        'tls-ca-file': { type: 'string' },
        'tls-client-auth': { type: 'string' },
        acl: { type: 'string', multiple: true },
        'acl-file': { type: 'string' },
        'super-user': { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const str = (k: string) => values[k] as string | undefined;
  const options: EmbeddedKafkaOptions = {
    port: int('port', str('port')) ?? 9092,
    host: str('host'),
    advertisedHost: str('advertised-host'),
    dataDir: str('data-dir'),
    metricsPort: int('metrics-port', str('metrics-port')),
    numPartitions: int('num-partitions', str('num-partitions')),
    autoCreateTopics: values['no-auto-create-topics'] ? false : undefined,
    fsync: parseFsync(str('fsync')),
    logCleanerIntervalMs: int('log-cleaner-interval-ms', str('log-cleaner-interval-ms')),
    partitionCacheBytes: int('partition-cache-bytes', str('partition-cache-bytes')),
    readCacheBudgetBytes: int('read-cache-budget-bytes', str('read-cache-budget-bytes')),
    groupInitialRebalanceDelayMs: int(
      'group-initial-rebalance-delay-ms',
      str('group-initial-rebalance-delay-ms'),
    ),
    logger: stderrLogger(values.quiet === true),
    ...security(values),
    ...acls(values),
  };
  let broker: EmbeddedKafka;
  try {
    // Loaded once the flags are checked: `--help` and a bad flag answer without loading the broker.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EmbeddedKafka } = require('./broker/embedded-kafka') as typeof import('./broker/embedded-kafka');
    broker = await EmbeddedKafka.start(options);
  } catch (err) {
    process.stderr.write(`gmart-kafka: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `embedded Kafka broker listening on ${broker.bootstrapServers}` +
      (broker.metricsPort !== undefined ? `, metrics on :${broker.metricsPort}/metrics` : '') +
      '\n',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal} received, stopping\n`);
    broker.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`gmart-kafka: error while stopping: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
