import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCertificates } from '@gmart/embedded-kafka/test-certificates';
import { startBroker, tempDir } from '@gmart/test-support';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaConfigFromEnv } from '../src/kafka/kafka-env';
import { ensureTopics } from '../src/topics/ensure-topics';
import { parseTopicsFile } from '../src/topics/topics-file';

/** create-topics' connection (the services' variables) against a SASL_SSL broker. */
describe('create-topics over SASL_SSL', () => {
  it('creates the topics with SCRAM-SHA-512 and a CA file, and a wrong password fails naming the cause', async () => {
    const certs = await createTestCertificates();
    const dir = tempDir('deploy-secure');
    const { broker } = await startBroker({
      advertisedHost: 'localhost',
      autoCreateTopics: false,
      tls: { cert: certs.server.cert, key: certs.server.key },
      sasl: { users: { ops: 'ops-secret' } },
    });
    try {
      writeFileSync(join(dir, 'ca.pem'), certs.ca.cert);
      const env = {
        KAFKA_BROKERS: broker.bootstrapServers,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'ops',
        KAFKA_SASL_PASSWORD: 'ops-secret',
      };
      const specs = parseTopicsFile(
        'topics:\n  - name: secure-a\n    partitions: 2\n  - name: secure-b',
        'test',
      );
      const admin = new Kafka({ ...kafkaConfigFromEnv(env, 'test'), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const report = await ensureTopics(admin, specs);
      expect([...report.created].sort()).toEqual(['secure-a', 'secure-b']);
      expect((await admin.fetchTopicMetadata({ topics: ['secure-a'] })).topics[0]!.partitions).toHaveLength(
        2,
      );
      await admin.disconnect();
      const wrong = new Kafka({
        ...kafkaConfigFromEnv({ ...env, KAFKA_SASL_PASSWORD: 'nope-pw' }, 'test'),
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      const err = await wrong.connect().then(
        () => undefined,
        (e: Error) => e,
      );
      await wrong.disconnect();
      expect(err?.message).toMatch(/invalid credentials with SASL mechanism SCRAM-SHA-512/);
      expect(err?.message).not.toContain('nope-pw');
    } finally {
      await broker.stop();
    }
  });
});
