/**
 * The rewards service (stateful: repartition topic, store changelog) as a principal with exactly the
 * ACLs its README documents, against the embedded broker with SASL/SCRAM over TLS (CA from a file)
 * and ACLs on: it accumulates rewards end to end (and dead-letters a bad record) under both
 * processing guarantees (the second with a fresh state directory: the store restored from the
 * changelog) and the broker denies it nothing; a wrong password or an untrusted broker certificate
 * stops it at start naming the cause, never a password.
 */
import { join } from 'node:path';
import { GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { bootstrapStreamsService } from '@gmart/nest-streams';
import { describeServiceUnderAcls, produce, recordsAfter } from '@gmart/test-support';
import { RewardsModule, rewardsConfig } from '../src';

jest.setTimeout(120_000);

describeServiceUnderAcls({
  user: 'rewards',
  readme: join(__dirname, '..', 'README.md'),
  topics: [
    { topic: 'purchases' },
    { topic: 'customer_transactions' },
    { topic: 'rewards' },
    { topic: 'gmart-rewards-rewardsPointsStore-changelog', config: { 'cleanup.policy': 'compact' } },
    { topic: 'gmart-rewards-dlq' },
  ],
  module: RewardsModule,
  config: rewardsConfig,
  bootstrap: bootstrapStreamsService,
  input: 'purchases',
  does: 'accumulates rewards',
  exercise: async (admin, guarantee) => {
    const purchase = maskPurchase(
      new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(1)[0]!,
    );
    const wire = GmartSerdes.Purchase().serializer().serialize('purchases', purchase)!;
    const [record] = await recordsAfter(admin, 'rewards', 1, () =>
      produce(admin, 'purchases', [{ key: null, value: wire }]),
    );
    const reward = JSON.parse(record!.value!.toString()) as {
      customerId: string;
      currentRewardPoints: number;
    };
    expect(reward.customerId).toBe(purchase.customerId);
    expect(reward.currentRewardPoints).toBe(
      Math.floor(Math.round(purchase.price * purchase.quantity * 100) / 100),
    );
  },
});
