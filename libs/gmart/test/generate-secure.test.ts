import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCertificates } from '@gmart/embedded-kafka/test-certificates';
import { startBroker, tempDir } from '@gmart/test-support';
import { Kafka, logLevel } from 'kafkajs';
import { parseGenerateOptions } from '../src/cli/generate-options';
import { producePurchases } from '../src/cli/purchase-producer';

/** The generator with the services' SASL/SCRAM-over-TLS variables, against a SASL_SSL broker. */
describe('generate over SASL_SSL', () => {
  it('produces to a SASL_SSL broker with KAFKA_SSL_CA_FILE and KAFKA_SASL_* and stops on a wrong password', async () => {
    const certs = await createTestCertificates();
    const dir = tempDir('gmart-generate-secure');
    const { broker } = await startBroker({
      advertisedHost: 'localhost',
      tls: { cert: certs.server.cert, key: certs.server.key },
      sasl: { users: { gen: 'gen-secret' } },
    });
    try {
      writeFileSync(join(dir, 'ca.pem'), certs.ca.cert);
      const env = {
        KAFKA_BROKERS: broker.bootstrapServers,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'gen',
        KAFKA_SASL_PASSWORD: 'gen-secret',
      };
      const options = parseGenerateOptions(['--count', '25', '--rate', '100000', '--partitions', '1'], env);
      expect((await producePurchases(options)).sent).toBe(25);
      const admin = new Kafka({
        brokers: [broker.bootstrapServers],
        ssl: { ca: [certs.ca.cert] },
        sasl: { mechanism: 'plain', username: 'gen', password: 'gen-secret' },
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets('transactions');
      await admin.disconnect();
      expect(offsets.map((o) => o.high)).toEqual(['25']);
      const wrong = parseGenerateOptions(['--count', '1'], { ...env, KAFKA_SASL_PASSWORD: 'nope-pw' });
      await expect(producePurchases(wrong)).rejects.toThrow(/invalid credentials/);
    } finally {
      await broker.stop();
    }
  });
});
