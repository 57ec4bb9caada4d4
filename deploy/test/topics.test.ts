import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestCertificates, type TestCertificates } from '@gmart/embedded-kafka/test-certificates';
import {
  DEFAULT_TOPICS_FILE,
  TopicsConfigError,
  kafkaConfigFromEnv,
  loadTopicsFile,
  mergeTopicSpecs,
  parseTopicsFile,
} from '../src';
import { DEPLOY_DIR, REPO_ROOT, TOPICS_FILE } from './support/paths';
import { SERVICES } from './support/service-contract';

const run = promisify(execFile);
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-topics-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('deploy/topics.yaml', () => {
  const specs = loadTopicsFile(TOPICS_FILE);
  const byName = new Map(specs.map((s) => [s.name, s]));

  it('is the file the package exports as the default', () => {
    expect(fs.realpathSync(DEFAULT_TOPICS_FILE)).toBe(fs.realpathSync(TOPICS_FILE));
  });

  it('lists the seed topics, the rewards changelog (compacted) and one dead-letter topic per service', () => {
    for (const t of [
      'transactions',
      'purchases',
      'patterns',
      'customer_transactions',
      'rewards',
      'coffee',
      'electronics',
      'coupons',
      'stock-transactions',
    ]) {
      expect({ topic: t, listed: byName.has(t) }).toEqual({ topic: t, listed: true });
    }
    const changelog = byName.get('gmart-rewards-rewardsPointsStore-changelog')!;
    expect(changelog.configs['cleanup.policy']).toBe('compact');
    for (const s of SERVICES) expect(byName.get(`gmart-${s.name}-dlq`)).toBeDefined();
  });

  it('applies the defaults to topics that do not set a field', () => {
    expect(byName.get('purchases')).toEqual({
      name: 'purchases',
      partitions: 3,
      replicationFactor: -1,
      configs: { 'retention.ms': '604800000' },
    });
    expect(byName.get('gmart-masking-dlq')!.partitions).toBe(1);
    expect(byName.get('gmart-rewards-rewardsPointsStore-changelog')!.configs['retention.ms']).toBe('-1');
  });

  it('co-partitions the topics the rewards service repartitions between', () => {
    expect(byName.get('customer_transactions')!.partitions).toBe(byName.get('purchases')!.partitions);
    expect(byName.get('gmart-rewards-rewardsPointsStore-changelog')!.partitions).toBe(
      byName.get('customer_transactions')!.partitions,
    );
  });
});

describe('topics file validation', () => {
  it.each([
    ['topics: [\n  - name: a\n  bad', 'not valid YAML'],
    ['topics: []', 'topics: at least one topic is required'],
    ['topics:\n  - name: a\n    partitions: 0', 'topics.0.partitions: partitions must be >= 1'],
    ['topics:\n  - name: "bad topic"', 'topics.0.name: topic names use letters'],
    [
      'topics:\n  - name: a\n    replicationFactor: 0',
      'topics.0.replicationFactor: replicationFactor must be >= 1, or -1',
    ],
    [
      'topics:\n  - name: a\n    configs: { cleanup.policy: shred }',
      'must be delete, compact or compact,delete (got "shred")',
    ],
    ['topics:\n  - name: a\n    partitons: 3', 'Unrecognized key: "partitons"'],
    ['topics:\n  - name: a\n  - name: a', 'topics.1.name: duplicate topic "a"'],
    ['defaults: { partitions: -2 }\ntopics:\n  - name: a', 'defaults.partitions'],
  ])('%j is rejected with "%s"', (text, message) => {
    let error: unknown;
    try {
      parseTopicsFile(text, 'bad.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TopicsConfigError);
    expect((error as Error).message).toContain('bad.yaml');
    expect((error as Error).message).toContain(message);
    expect((error as TopicsConfigError).retriable).toBe(false);
  });

  it('a missing file is named', () => {
    expect(() => loadTopicsFile(path.join(tmp, 'nope.yaml'))).toThrow(/nope\.yaml: cannot read topics file/);
  });

  it('merging files keeps identical duplicates once and rejects conflicting ones', () => {
    const a = parseTopicsFile('topics:\n  - name: x\n    partitions: 2', 'a');
    const b = parseTopicsFile('topics:\n  - name: x\n    partitions: 2\n  - name: y', 'b');
    expect(mergeTopicSpecs([a, b]).map((t) => t.name)).toEqual(['x', 'y']);
    const c = parseTopicsFile('topics:\n  - name: x\n    partitions: 6', 'c');
    expect(() => mergeTopicSpecs([a, c])).toThrow('topic "x" is defined twice with different settings');
  });
});

describe('Kafka connection settings from the environment', () => {
  let certs: TestCertificates;
  beforeAll(async () => {
    certs = await createTestCertificates();
  });

  it('builds brokers, client id, TLS with a CA file and SASL/SCRAM', () => {
    const ca = path.join(tmp, 'ca.crt');
    fs.writeFileSync(ca, certs.ca.cert);
    const cfg = kafkaConfigFromEnv(
      {
        KAFKA_BROKERS: 'a:9092, b:9093',
        KAFKA_CLIENT_ID: 'me',
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: ca,
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      },
      'default-id',
    );
    expect(cfg).toEqual({
      clientId: 'me',
      brokers: ['a:9092', 'b:9093'],
      ssl: { ca: [certs.ca.cert] },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: 'a:1', KAFKA_SSL: 'true' }, 'd')).toEqual({
      clientId: 'd',
      brokers: ['a:1'],
      ssl: true,
    });
  });

  // The same values and messages as the services (@gmart/kafka-connection).
  it.each([
    [{}, 'KAFKA_BROKERS: is required'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS: must be a comma-separated list of host:port'],
    [{ KAFKA_BROKERS: 'a:1', KAFKA_SSL: '1' }, 'KAFKA_SSL: must be true or false'],
    [
      { KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'gssapi' },
      'KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512',
    ],
    [
      { KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_PASSWORD: is required when KAFKA_SASL_MECHANISM is set',
    ],
    [
      { KAFKA_BROKERS: 'a:1', KAFKA_SSL_CA_FILE: '/nonexistent/ca.crt' },
      'KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true',
    ],
    [
      { KAFKA_BROKERS: 'a:1', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.crt' },
      'KAFKA_SSL_CA_FILE: cannot be read (ENOENT)',
    ],
  ])('%j fails with "%s"', (env, message) => {
    expect(() => kafkaConfigFromEnv(env as NodeJS.ProcessEnv, 'd')).toThrow(message);
  });

  it('never puts the SASL password into an error message', () => {
    try {
      kafkaConfigFromEnv(
        { KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'bogus', KAFKA_SASL_PASSWORD: 's3cr3t-value' },
        'd',
      );
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cr3t-value');
      return;
    }
    throw new Error('expected an error');
  });
});

describe('create-topics CLI', () => {
  const cli = path.join(DEPLOY_DIR, 'src/cli/create-topics.ts');
  const runCli = async (args: string[], env: NodeJS.ProcessEnv) => {
    try {
      const r = await run(
        process.execPath,
        ['--conditions=@gmart/source', '-r', '@swc-node/register', cli, ...args],
        {
          cwd: REPO_ROOT,
          env: { PATH: process.env.PATH, ...env },
          timeout: 60_000,
        },
      );
      return { code: 0, out: r.stdout + r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  };

  it('exits 1 naming the missing KAFKA_BROKERS', async () => {
    const r = await runCli([], {});
    expect(r.code).toBe(1);
    expect(r.out).toContain('create-topics: KAFKA_BROKERS: is required');
  }, 60_000);

  it('exits 1 naming the file and field of a bad topics file', async () => {
    const bad = path.join(tmp, 'bad-topics.yaml');
    fs.writeFileSync(bad, 'topics:\n  - name: ok\n    partitions: zero\n');
    const r = await runCli(['--file', bad], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`create-topics: ${bad}: invalid topics file: topics.0.partitions`);
  }, 60_000);

  it('rejects unknown arguments with the usage', async () => {
    const r = await runCli(['--fiel', 'x'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(r.code).toBe(2); // a usage error, as every CLI of the project (parseArgs)
    expect(r.out).toContain("create-topics: Unknown option '--fiel'");
    expect(r.out).toContain('Usage: create-topics [--file FILE]... [--timeout-ms N]');
  }, 60_000);

  it('gives up after --timeout-ms when no broker answers, with the connection error', async () => {
    const r = await runCli(['--timeout-ms', '0'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/create-topics: .*(ECONNREFUSED|Connection error|connect)/i);
  }, 90_000);
});
