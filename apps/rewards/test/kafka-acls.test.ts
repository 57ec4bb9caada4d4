/**
 * The rewards service (stateful: repartition topic, store changelog) as a principal with exactly the
 * ACLs its README documents, against the embedded broker with SASL/SCRAM and ACLs on: it accumulates
 * rewards end to end (and dead-letters a bad record) under both processing guarantees, and the
 * broker denies it nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { type StreamsService, bootstrapStreamsService, kafkaStreamsRuntime } from '@gmart/nest-streams';
import { consume, createTopics, produce, startBroker, tempDir } from '@gmart/test-support';
import { Kafka, logLevel } from 'kafkajs';
import { RewardsModule, rewardsConfig } from '../src';

jest.setTimeout(120_000);

const PASSWORDS = { admin: 'admin-Pw-1', rewards: 'rewards-Pw-2' };

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

describe('rewards with exactly the README ACLs (SASL/SCRAM, ACLs on)', () => {
  let broker: EmbeddedKafka;
  let admin: Kafka;
  const brokerLog: string[] = [];
  const dir = tempDir('rewards-acls');

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
      { topic: 'purchases' },
      { topic: 'customer_transactions' },
      { topic: 'rewards' },
      {
        topic: 'gmart-rewards-rewardsPointsStore-changelog',
        config: { 'cleanup.policy': 'compact' },
      },
      { topic: 'gmart-rewards-dlq' },
    ]);
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it.each(['at_least_once', 'exactly_once_v2'] as const)(
    'accumulates rewards and dead-letters a bad record under %s, and the broker denies it nothing',
    async (guarantee) => {
      const logs = capture();
      const purchase = maskPurchase(
        new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(1)[0]!,
      );
      const wire = GmartSerdes.Purchase().serializer().serialize('purchases', purchase)!;
      const before = { rewards: await endOffset('rewards'), dlq: await endOffset('gmart-rewards-dlq') };
      let service: StreamsService | undefined;
      try {
        service = await bootstrapStreamsService({
          module: RewardsModule,
          config: rewardsConfig,
          runtimeFactory: kafkaStreamsRuntime(),
          env: {
            KAFKA_BROKERS: broker.bootstrapServers,
            KAFKA_SASL_MECHANISM: 'scram-sha-512',
            KAFKA_SASL_USERNAME: 'rewards',
            KAFKA_SASL_PASSWORD: PASSWORDS.rewards,
            HTTP_PORT: '0',
            STATE_DIR: join(dir, guarantee),
            COMMIT_INTERVAL_MS: '200',
            PROCESSING_GUARANTEE: guarantee,
          },
          handleSignals: false,
          host: '127.0.0.1',
          logDestination: logs.destination,
        });
        await produce(admin, 'purchases', [
          { key: null, value: wire },
          { key: 'bad', value: '{"not":"a purchase"}' },
        ]);
        const rewards = await consume(admin, 'rewards', before.rewards + 1);
        const reward = JSON.parse(rewards[rewards.length - 1]!.value!.toString()) as {
          customerId: string;
          currentRewardPoints: number;
        };
        expect(reward.customerId).toBe(purchase.customerId);
        expect(reward.currentRewardPoints).toBe(
          Math.floor(Math.round(purchase.price * purchase.quantity * 100) / 100),
        );
        const dlq = await consume(admin, 'gmart-rewards-dlq', before.dlq + 1);
        expect(dlq[dlq.length - 1]!.key!.toString()).toBe('bad');
      } finally {
        await service?.close();
        const denied = brokerLog.filter((l) => l.includes('Denied'));
        if (denied.length > 0) console.log(denied.join('\n'), logs.text().slice(-3000));
      }
      expect(brokerLog.filter((l) => l.includes('User:rewards is Denied'))).toEqual([]);
      expect(logs.text()).not.toContain(PASSWORDS.rewards);
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
