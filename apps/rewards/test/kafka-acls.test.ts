/**
 * The rewards service (stateful: repartition topic, store changelog) as a principal with exactly the
 * ACLs its README documents, against the embedded broker with SASL/SCRAM over TLS (CA from a file)
 * and ACLs on: it accumulates rewards end to end (and dead-letters a bad record) under both
 * processing guarantees and the broker denies it nothing; a wrong password or an untrusted broker
 * certificate stops it at start naming the cause, never a password.
 */
import { join } from 'node:path';
import { GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { type StreamsService, bootstrapStreamsService, kafkaStreamsRuntime } from '@gmart/nest-streams';
import {
  type SecuredBroker,
  aclBlockOf,
  captureOutput,
  consume,
  expectRefusedAtStart,
  produce,
  startSecuredBroker,
  tempDir,
} from '@gmart/test-support';
import { endOffsetSum } from '@gmart/test-support/local-stack';
import { RewardsModule, rewardsConfig } from '../src';

jest.setTimeout(120_000);

describe('rewards with exactly the README ACLs (SASL/SCRAM over TLS, ACLs on)', () => {
  let secured: SecuredBroker;
  const dir = tempDir('rewards-acls');
  const logs = captureOutput();

  const start = (env: Record<string, string>, guarantee = 'at_least_once') =>
    bootstrapStreamsService({
      module: RewardsModule,
      config: rewardsConfig,
      runtimeFactory: kafkaStreamsRuntime(),
      env: {
        ...env,
        HTTP_PORT: '0',
        STATE_DIR: join(dir, guarantee),
        COMMIT_INTERVAL_MS: '200',
        PROCESSING_GUARANTEE: guarantee,
      },
      handleSignals: false,
      host: '127.0.0.1',
      logDestination: logs.destination,
    });

  beforeAll(async () => {
    secured = await startSecuredBroker({
      users: { rewards: 'rewards-Pw-2' },
      acls: aclBlockOf(join(__dirname, '..', 'README.md')),
      topics: [
        { topic: 'purchases' },
        { topic: 'customer_transactions' },
        { topic: 'rewards' },
        { topic: 'gmart-rewards-rewardsPointsStore-changelog', config: { 'cleanup.policy': 'compact' } },
        { topic: 'gmart-rewards-dlq' },
      ],
    });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  it.each(['at_least_once', 'exactly_once_v2'] as const)(
    'accumulates rewards and dead-letters a bad record under %s, and the broker denies it nothing',
    async (guarantee) => {
      const { admin } = secured;
      const purchase = maskPurchase(
        new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(1)[0]!,
      );
      const wire = GmartSerdes.Purchase().serializer().serialize('purchases', purchase)!;
      const before = {
        rewards: await endOffsetSum(admin, 'rewards'),
        dlq: await endOffsetSum(admin, 'gmart-rewards-dlq'),
      };
      let service: StreamsService | undefined;
      try {
        service = await start(secured.env('rewards'), guarantee);
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
      }
      expect(secured.denials('rewards')).toEqual([]);
      for (const password of secured.passwords) expect(logs.text()).not.toContain(password);
    },
  );

  it('stops at start on a wrong password or an untrusted broker certificate, naming the cause', async () => {
    await expectRefusedAtStart(secured, 'rewards', (env) => start(env), logs.text);
  });
});
