/**
 * The masking service as a principal with exactly the ACLs its README documents, against the
 * embedded broker with SASL/SCRAM and ACLs on: it masks end to end (and dead-letters a bad record)
 * under both processing guarantees, and the broker denies it nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { GmartSerdes, PurchaseGenerator } from '@gmart/gmart';
import { type StreamsService, bootstrapStreamsService, kafkaStreamsRuntime } from '@gmart/nest-streams';
import { consume, createTopics, produce, startBroker, tempDir } from '@gmart/test-support';
import { Kafka, logLevel } from 'kafkajs';
import { MaskingModule, maskingConfig } from '../src';

jest.setTimeout(120_000);

const PASSWORDS = { admin: 'admin-Pw-1', masking: 'masking-Pw-2' };

/** The rules of the README's "Kafka ACLs" block. */
function readmeAcls(): string[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Kafka ACLs'));
  const block = /```text\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ACL block under "## Kafka ACLs"');
  return block.split('\n').filter((l) => l.trim().length > 0);
}

function capture(): { destination: Writable; text: () => string } {
  let text = '';
  return {
    destination: new Writable({
      write(chunk, _e, cb) {
        text += chunk.toString();
        cb();
      },
    }),
    text: () => text,
  };
}

describe('masking with exactly the README ACLs (SASL/SCRAM, ACLs on)', () => {
  let broker: EmbeddedKafka;
  let admin: Kafka;
  const brokerLog: string[] = [];
  const dir = tempDir('masking-acls');

  beforeAll(async () => {
    const rules = readmeAcls();
    expect(rules.length).toBeGreaterThanOrEqual(5);
    ({ broker } = await startBroker({
      sasl: { users: PASSWORDS },
      acls: { rules, superUsers: ['User:admin'] },
      autoCreateTopics: false,
      logger: {
        info: (m) => brokerLog.push(m),
        warn: (m) => brokerLog.push(m),
        error: (m) => brokerLog.push(m),
      },
    }));
    admin = new Kafka({
      clientId: 'acl-admin',
      brokers: [broker.bootstrapServers],
      sasl: { mechanism: 'scram-sha-512', username: 'admin', password: PASSWORDS.admin },
      logLevel: logLevel.NOTHING,
    });
    await createTopics(admin, [
      { topic: 'transactions' },
      { topic: 'purchases' },
      { topic: 'gmart-masking-dlq' },
    ]);
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it.each(['at_least_once', 'exactly_once_v2'] as const)(
    'masks purchases and dead-letters a bad record under %s, and the broker denies it nothing',
    async (guarantee) => {
      const logs = capture();
      const purchase = new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(
        1,
      )[0]!;
      const wire = GmartSerdes.Purchase().serializer().serialize('transactions', purchase)!;
      const before = { purchases: await endOffset('purchases'), dlq: await endOffset('gmart-masking-dlq') };
      let service: StreamsService | undefined;
      try {
        service = await bootstrapStreamsService({
          module: MaskingModule,
          config: maskingConfig,
          runtimeFactory: kafkaStreamsRuntime(),
          env: {
            KAFKA_BROKERS: broker.bootstrapServers,
            KAFKA_SASL_MECHANISM: 'scram-sha-512',
            KAFKA_SASL_USERNAME: 'masking',
            KAFKA_SASL_PASSWORD: PASSWORDS.masking,
            HTTP_PORT: '0',
            STATE_DIR: join(dir, guarantee),
            COMMIT_INTERVAL_MS: '200',
            PROCESSING_GUARANTEE: guarantee,
          },
          handleSignals: false,
          host: '127.0.0.1',
          logDestination: logs.destination,
        });
        await produce(admin, 'transactions', [
          { key: 'p1', value: wire },
          { key: 'bad', value: '{"not":"a purchase"}' },
        ]);
        const masked = await consume(admin, 'purchases', before.purchases + 1);
        const out = JSON.parse(masked[masked.length - 1]!.value!.toString()) as { creditCardNumber: string };
        expect(out.creditCardNumber).not.toBe(purchase.creditCardNumber);
        // Only the last 4 digits stay.
        expect(out.creditCardNumber.replace(/\D/g, '')).toBe(
          purchase.creditCardNumber.replace(/\D/g, '').slice(-4),
        );
        const dlq = await consume(admin, 'gmart-masking-dlq', before.dlq + 1);
        expect(dlq[dlq.length - 1]!.key!.toString()).toBe('bad');
      } finally {
        await service?.close();
      }
      expect(brokerLog.filter((l) => l.includes('User:masking is Denied'))).toEqual([]);
      expect(logs.text()).not.toContain(PASSWORDS.masking);
    },
  );

  async function endOffset(topic: string): Promise<number> {
    const a = admin.admin();
    await a.connect();
    try {
      return (await a.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    } finally {
      await a.disconnect();
    }
  }
});
