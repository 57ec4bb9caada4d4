import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { createTestCertificates, type TestCertificates } from '@gmart/embedded-kafka/test-certificates';
import { captureOutput, consume, createTopics, produce, startBroker, tempDir } from '@gmart/test-support';
import { Kafka, logLevel } from 'kafkajs';
import { type StreamsService, bootstrapStreamsService, kafkaStreamsRuntime } from '../src';
import { YellingModule, yellingConfig } from './fixtures/yelling.module';

const PASSWORD = 'svc-Secret-9f3a';

/** A streams service over SASL/SCRAM and TLS, configured by the variables the Helm chart sets. */
describe('a streams service against a SASL_SSL broker', () => {
  let certs: TestCertificates;
  let broker: EmbeddedKafka;
  let dir: string;
  let caFile: string;
  let kafka: Kafka;

  beforeAll(async () => {
    certs = await createTestCertificates();
    dir = tempDir('nest-streams-secure');
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, certs.ca.cert);
    ({ broker } = await startBroker({
      advertisedHost: 'localhost',
      tls: { cert: certs.server.cert, key: certs.server.key },
      sasl: { users: { svc: PASSWORD } },
    }));
    kafka = new Kafka({
      clientId: 'secure-test',
      brokers: [broker.bootstrapServers],
      ssl: { ca: [certs.ca.cert] },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: PASSWORD },
      logLevel: logLevel.NOTHING,
    });
    await createTopics(kafka, [{ topic: 'in-s' }, { topic: 'out-s' }]);
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const env = (extra: Record<string, string> = {}) => ({
    KAFKA_BROKERS: broker.bootstrapServers,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: caFile,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'svc',
    KAFKA_SASL_PASSWORD: PASSWORD,
    HTTP_PORT: '0',
    TOPIC_SOURCE: 'in-s',
    TOPIC_SINK: 'out-s',
    STATE_DIR: join(dir, 'state'),
    COMMIT_INTERVAL_MS: '200',
    ...extra,
  });

  it('processes records end to end, and no secret reaches the logs, /health or /metrics', async () => {
    const logs = captureOutput();
    let service: StreamsService | undefined;
    try {
      service = await bootstrapStreamsService({
        module: YellingModule,
        config: yellingConfig,
        runtimeFactory: kafkaStreamsRuntime(),
        env: env({ APPLICATION_ID: 'yelling-secure', LOG_LEVEL: 'debug' }),
        handleSignals: false,
        host: '127.0.0.1',
        logDestination: logs.destination,
      });
      await produce(kafka, 'in-s', [{ key: 'k', value: 'over sasl_ssl' }]);
      const got = (await consume(kafka, 'out-s', 1))[0]!.value!.toString();
      expect(got).toBe('OVER SASL_SSL');
      const health = await (await fetch(`${service.url}/health/ready`)).text();
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      for (const text of [logs.text(), health, metrics]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain('PRIVATE KEY');
      }
    } finally {
      await service?.close();
    }
  });

  it('stops at start naming the authentication failure, never the password', async () => {
    const logs = captureOutput();
    const wrong = 'wrong-Pw-77c1';
    const error = await bootstrapStreamsService({
      module: YellingModule,
      config: yellingConfig,
      env: env({ APPLICATION_ID: 'yelling-wrong-pw', KAFKA_SASL_PASSWORD: wrong }),
      handleSignals: false,
      host: '127.0.0.1',
      logDestination: logs.destination,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/SASL|authentication/i);
    expect(error?.message).toMatch(/invalid credentials/);
    for (const text of [error?.message ?? '', error?.stack ?? '', logs.text()]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(PASSWORD);
    }
  });

  it('stops at start naming an untrusted broker certificate', async () => {
    const logs = captureOutput();
    const error = await bootstrapStreamsService({
      module: YellingModule,
      config: yellingConfig,
      env: env({ APPLICATION_ID: 'yelling-untrusted', KAFKA_SSL_CA_FILE: '' }),
      handleSignals: false,
      host: '127.0.0.1',
      logDestination: logs.destination,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/certificate|self[- ]signed|unable to verify/i);
    expect(logs.text()).not.toContain(PASSWORD);
  });
});
