import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates } from '@gmart/embedded-kafka/test-certificates';
import { Registry } from 'prom-client';
import { ConfigError, Env, SERVICE_HTTP_PORTS, defineServiceConfig, toStreamsConfig } from '../src';

const masking = defineServiceConfig({
  service: 'masking',
  topics: { TRANSACTIONS: 'transactions', PURCHASES: 'purchases' },
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('defineServiceConfig', () => {
  it('loads defaults with only KAFKA_BROKERS set', () => {
    const c = masking.load({ KAFKA_BROKERS: 'localhost:9092, broker-2:19092' });
    expect(c).toEqual({
      service: 'masking',
      applicationId: 'gmart-masking',
      httpPort: 8081,
      httpHost: '0.0.0.0',
      logLevel: 'info',
      metricsRecordingLevel: 'INFO',
      shutdownTimeoutMs: 10000,
      stateDir: '/tmp/gmart-state',
      commitIntervalMs: undefined,
      processingGuarantee: 'at_least_once',
      dlqTopic: 'gmart-masking-dlq',
      interactiveQueries: false,
      applicationServer: undefined,
      kafka: {
        brokers: ['localhost:9092', 'broker-2:19092'],
        clientId: undefined,
        client: 'kafkajs',
        groupInstanceId: undefined,
        rebalanceProtocol: 'eager',
        ssl: false,
      },
      topics: { TRANSACTIONS: 'transactions', PURCHASES: 'purchases' },
      extra: {},
    });
  });

  it('reads every variable', () => {
    const c = masking.load({
      KAFKA_BROKERS: 'k:1',
      APPLICATION_ID: 'masking-blue',
      HTTP_PORT: '0',
      LOG_LEVEL: 'DEBUG',
      SHUTDOWN_TIMEOUT_MS: '2500',
      STATE_DIR: '/var/lib/gmart',
      COMMIT_INTERVAL_MS: '100',
      PROCESSING_GUARANTEE: 'exactly_once_v2',
      METRICS_RECORDING_LEVEL: 'debug',
      KAFKA_CLIENT_ID: 'masking-1',
      KAFKA_CLIENT: 'platformatic',
      KAFKA_GROUP_INSTANCE_ID: 'gmart-masking-0',
      KAFKA_REBALANCE_PROTOCOL: 'cooperative',
      KAFKA_SSL: 'TRUE',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 's3cret',
      TOPIC_TRANSACTIONS: 'tx.v2',
    });
    expect(c.applicationId).toBe('masking-blue');
    expect(c.dlqTopic).toBe('masking-blue-dlq');
    expect(c.httpPort).toBe(0);
    expect(c.logLevel).toBe('debug');
    expect(c.shutdownTimeoutMs).toBe(2500);
    expect(c.stateDir).toBe('/var/lib/gmart');
    expect(c.commitIntervalMs).toBe(100);
    expect(c.processingGuarantee).toBe('exactly_once_v2');
    expect(c.metricsRecordingLevel).toBe('DEBUG');
    expect(c.kafka).toEqual({
      brokers: ['k:1'],
      clientId: 'masking-1',
      client: 'platformatic',
      groupInstanceId: 'gmart-masking-0',
      rebalanceProtocol: 'cooperative',
      ssl: {},
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 's3cret' },
    });
    expect(c.topics).toEqual({ TRANSACTIONS: 'tx.v2', PURCHASES: 'purchases' });
    expect(masking.load({ KAFKA_BROKERS: 'k:1', DLQ_TOPIC: 'dead' }).dlqTopic).toBe('dead');
  });

  it('hands METRICS_RECORDING_LEVEL to the streams runtime as metricsRecordingLevel', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const streams = (env: Record<string, string>) =>
      toStreamsConfig({
        config: masking.load({ KAFKA_BROKERS: 'k:1', ...env }),
        registry: new Registry(),
        logger,
      });
    expect(streams({}).metricsRecordingLevel).toBe('INFO');
    expect(streams({ METRICS_RECORDING_LEVEL: 'Debug' }).metricsRecordingLevel).toBe('DEBUG');
  });

  it('hands KAFKA_CLIENT, KAFKA_GROUP_INSTANCE_ID and KAFKA_REBALANCE_PROTOCOL to the streams runtime', () => {
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const streams = (env: Record<string, string>) =>
      toStreamsConfig({
        config: masking.load({ KAFKA_BROKERS: 'k:1', ...env }),
        registry: new Registry(),
        logger,
      });
    const d = streams({});
    expect([d.kafkaClient, d.groupInstanceId, d.rebalanceProtocol]).toEqual(['kafkajs', undefined, 'eager']);
    const p = streams({
      KAFKA_CLIENT: 'platformatic',
      KAFKA_GROUP_INSTANCE_ID: 'gmart-masking-0',
      KAFKA_REBALANCE_PROTOCOL: 'cooperative',
    });
    expect([p.kafkaClient, p.groupInstanceId, p.rebalanceProtocol]).toEqual([
      'platformatic',
      'gmart-masking-0',
      'cooperative',
    ]);
    // Static membership and cooperative rebalancing need the platformatic client.
    expect(
      configError(() => masking.load({ KAFKA_BROKERS: 'k:1', KAFKA_GROUP_INSTANCE_ID: 'x' })).variables,
    ).toEqual(['KAFKA_GROUP_INSTANCE_ID']);
    expect(
      configError(() => masking.load({ KAFKA_BROKERS: 'k:1', KAFKA_REBALANCE_PROTOCOL: 'cooperative' }))
        .variables,
    ).toEqual(['KAFKA_REBALANCE_PROTOCOL']);
  });

  it('stops on a missing KAFKA_BROKERS naming it', () => {
    const e = configError(() => masking.load({}));
    expect(e.variables).toEqual(['KAFKA_BROKERS']);
    expect(e.message).toMatch(/KAFKA_BROKERS: is required/);
    expect(e.message).toContain('"masking"');
    expect(configError(() => masking.load({ KAFKA_BROKERS: '  ' })).variables).toEqual(['KAFKA_BROKERS']);
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost', /host:port/],
    ['KAFKA_BROKERS', 'a:1,,b', /host:port/],
    ['KAFKA_BROKERS', 'a:99999', /host:port/],
    ['HTTP_PORT', '80a', /whole number between 0 and 65535/],
    ['HTTP_PORT', '70000', /whole number between 0 and 65535/],
    ['LOG_LEVEL', 'loud', /one of fatal, error, warn, info, debug, trace, silent/],
    ['SHUTDOWN_TIMEOUT_MS', '-5', /whole number/],
    ['COMMIT_INTERVAL_MS', '0', /whole number between 1/],
    ['METRICS_RECORDING_LEVEL', 'verbose', /one of info, debug, trace/],
    ['KAFKA_SSL', 'yes', /true or false/],
    ['KAFKA_CLIENT', 'rdkafka', /one of kafkajs, platformatic/],
    ['KAFKA_REBALANCE_PROTOCOL', 'sticky', /one of eager, cooperative/],
    ['KAFKA_SASL_MECHANISM', 'kerberos', /one of plain, scram-sha-256, scram-sha-512/],
    ['TOPIC_PURCHASES', 'bad topic!', /Kafka topic name/],
    ['DLQ_TOPIC', 'a/b', /Kafka topic name/],
  ])('stops on a bad %s=%j naming the variable', (variable, value, reason) => {
    const e = configError(() => masking.load({ KAFKA_BROKERS: 'k:9092', [variable]: value }));
    expect(e.variables[0]).toBe(variable);
    if (variable !== 'KAFKA_SASL_MECHANISM') expect(e.variables).toEqual([variable]);
    expect(e.message).toContain(`${variable}: `);
    expect(e.message).toMatch(reason);
  });

  it('lists every problem at once and never echoes values', () => {
    const e = configError(() =>
      masking.load({
        HTTP_PORT: 'nope',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_PASSWORD: 'hunter2-secret',
      }),
    );
    expect(e.variables.sort()).toEqual(['HTTP_PORT', 'KAFKA_BROKERS', 'KAFKA_SASL_USERNAME']);
    expect(e.message).toMatch(/KAFKA_SASL_USERNAME: is required when KAFKA_SASL_MECHANISM is set/);
    expect(e.message).not.toContain('hunter2-secret');
    expect(e.message).not.toContain('nope');
  });

  it('reads the TLS files (CA, client certificate and key) and names a bad one', async () => {
    const certs = await createTestCertificates();
    const dir = mkdtempSync(join(tmpdir(), 'nest-streams-config-'));
    try {
      const write = (name: string, contents: string) => {
        writeFileSync(join(dir, name), contents);
        return join(dir, name);
      };
      const tls = {
        KAFKA_BROKERS: 'k:1',
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: write('ca.pem', certs.ca.cert),
        KAFKA_SSL_CERT_FILE: write('client.pem', certs.client.cert),
        KAFKA_SSL_KEY_FILE: write('client.key', certs.client.key),
        KAFKA_SSL_SERVERNAME: 'kafka.internal',
      };
      const config = masking.load(tls);
      expect(config.kafka.ssl).toEqual({
        ca: [certs.ca.cert],
        cert: certs.client.cert,
        key: certs.client.key,
        servername: 'kafka.internal',
      });
      expect(
        toStreamsConfig({
          config,
          registry: new Registry(),
          logger: { debug() {}, info() {}, warn() {}, error() {} },
        }).ssl,
      ).toEqual({
        ca: [certs.ca.cert],
        cert: certs.client.cert,
        key: certs.client.key,
        servername: 'kafka.internal',
      });
      const fake = write('fake.pem', '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n');
      const notACert = configError(() => masking.load({ ...tls, KAFKA_SSL_CA_FILE: fake }));
      expect(notACert.variables).toEqual(['KAFKA_SSL_CA_FILE']);
      expect(notACert.message).toMatch(/cannot be parsed/);
      const missing = configError(() => masking.load({ ...tls, KAFKA_SSL_CA_FILE: join(dir, 'nope.pem') }));
      expect(missing.variables).toEqual(['KAFKA_SSL_CA_FILE']);
      expect(missing.message).toMatch(/cannot be read \(ENOENT\)/);
      const expired = configError(() =>
        masking.load({
          ...tls,
          KAFKA_SSL_CERT_FILE: write('expired.pem', certs.expiredClient.cert),
          KAFKA_SSL_KEY_FILE: write('expired.key', certs.expiredClient.key),
        }),
      );
      expect(expired.variables).toEqual(['KAFKA_SSL_CERT_FILE']);
      expect(expired.message).toMatch(/expired on/);
      expect(expired.message).not.toContain('PRIVATE KEY');
      const noSsl = configError(() =>
        masking.load({ KAFKA_BROKERS: 'k:1', KAFKA_SSL_CA_FILE: tls.KAFKA_SSL_CA_FILE }),
      );
      expect(noSsl.message).toMatch(/KAFKA_SSL_CA_FILE: is set but KAFKA_SSL is not true/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the per-service default ports', () => {
    expect(SERVICE_HTTP_PORTS).toEqual({
      masking: 8081,
      patterns: 8082,
      rewards: 8083,
      storage: 8084,
      'coupon-join': 8085,
      'stock-analytics': 8086,
    });
    for (const [service, port] of Object.entries(SERVICE_HTTP_PORTS)) {
      expect(defineServiceConfig({ service }).load({ KAFKA_BROKERS: 'k:1' }).httpPort).toBe(port);
    }
  });

  it('takes service variables and lists variables for deploy checks', () => {
    const storage = defineServiceConfig({
      service: 'storage',
      topics: { PURCHASES: 'purchases' },
      variables: {
        MONGODB_URI: Env.string('MongoDB connection string'),
        MIN_PRICE: Env.int('Smallest price stored', { min: 0, max: 1000, fallback: 5 }),
      },
    });
    expect(storage.requiredVariables()).toEqual(['KAFKA_BROKERS', 'MONGODB_URI']);
    const vars = storage.variables();
    expect(vars.find((v) => v.name === 'TOPIC_PURCHASES')).toEqual({
      name: 'TOPIC_PURCHASES',
      required: false,
      default: 'purchases',
      description: 'Topic purchases',
    });
    expect(vars.find((v) => v.name === 'APPLICATION_ID')?.default).toBe('gmart-storage');
    expect(vars.find((v) => v.name === 'HTTP_PORT')?.default).toBe('8084');
    expect(vars.find((v) => v.name === 'DLQ_TOPIC')?.required).toBe(false);
    expect(Object.keys(storage.schema.shape)).toContain('KAFKA_SASL_PASSWORD');
    const c = storage.load({ KAFKA_BROKERS: 'k:1', MONGODB_URI: 'mongodb://localhost:27017/gmart' });
    expect(c.extra).toEqual({ MONGODB_URI: 'mongodb://localhost:27017/gmart', MIN_PRICE: 5 });
    expect(configError(() => storage.load({ KAFKA_BROKERS: 'k:1' })).variables).toEqual(['MONGODB_URI']);
  });

  it('reads APPLICATION_SERVER only for a service with interactiveQueries, and hands it to the streams client', () => {
    const queried = defineServiceConfig({ service: 'rewards', interactiveQueries: true });
    const base = { KAFKA_BROKERS: 'k:1' };
    expect(queried.load(base)).toMatchObject({ interactiveQueries: true, applicationServer: undefined });
    const pod = queried.load({ ...base, APPLICATION_SERVER: 'rewards-0.rewards:8083' });
    expect(pod.applicationServer).toBe('rewards-0.rewards:8083');
    expect(configError(() => queried.load({ ...base, APPLICATION_SERVER: 'http://x:1' })).variables).toEqual([
      'APPLICATION_SERVER',
    ]);
    expect(configError(() => queried.load({ ...base, APPLICATION_SERVER: 'no-port' })).message).toMatch(
      /APPLICATION_SERVER: must be host:port/,
    );
    expect(queried.variables().map((v) => v.name)).toContain('APPLICATION_SERVER');
    // A service without interactive queries neither lists nor reads the variable.
    expect(masking.variables().map((v) => v.name)).not.toContain('APPLICATION_SERVER');
    expect(masking.load({ ...base, APPLICATION_SERVER: 'x:1' }).applicationServer).toBeUndefined();
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const streams = toStreamsConfig({
      config: pod,
      registry: new Registry(),
      logger,
      applicationServer: 'h:1',
    });
    expect(streams.applicationServer).toBe('h:1');
    expect(
      toStreamsConfig({ config: pod, registry: new Registry(), logger }).applicationServer,
    ).toBeUndefined();
  });

  it('rejects bad declarations', () => {
    expect(() => defineServiceConfig({ service: 'Masking' })).toThrow(/kebab-case/);
    expect(() => defineServiceConfig({ service: 'x', topics: { transactions: 't' } })).toThrow(
      /UPPER_SNAKE_CASE/,
    );
    expect(() => defineServiceConfig({ service: 'x', variables: { HTTP_PORT: Env.string('p') } })).toThrow(
      /HTTP_PORT/,
    );
  });
});
