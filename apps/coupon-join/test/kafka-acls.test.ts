/**
 * The coupon-join service (stateful: repartition topics and window stores it creates itself, the
 * coupons store's changelog created beforehand) as a principal with exactly the ACLs its README
 * documents, against the embedded broker with SASL/SCRAM over TLS (CA from a file) and ACLs on: it
 * joins a coffee and an electronics purchase into a coupon (and dead-letters a malformed record)
 * under both processing guarantees and the broker denies it nothing; a wrong password or an
 * untrusted broker certificate stops it at start naming the cause, never a password.
 */
import { join } from 'node:path';
import { GmartSerdes, PurchaseGenerator, correlatePurchases, maskPurchase } from '@gmart/gmart';
import { bootstrapStreamsService } from '@gmart/nest-streams';
import { describeServiceUnderAcls, produce, recordsAfter } from '@gmart/test-support';
import { CouponJoinModule, couponJoinConfig } from '../src';

jest.setTimeout(120_000);

describeServiceUnderAcls({
  user: 'coupon-join',
  readme: join(__dirname, '..', 'README.md'),
  topics: [
    { topic: 'purchases' },
    { topic: 'coffee' },
    { topic: 'electronics' },
    { topic: 'coupons' },
    { topic: 'gmart-coupon-join-couponsStore-changelog', config: { 'cleanup.policy': 'compact' } },
    { topic: 'gmart-coupon-join-dlq' },
  ],
  module: CouponJoinModule,
  config: couponJoinConfig,
  bootstrap: bootstrapStreamsService,
  input: 'purchases',
  does: 'joins a coffee and an electronics purchase into a coupon',
  exercise: async (admin, guarantee) => {
    const [a, b] = new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(2);
    const customerId = `acl-${guarantee}`;
    const coffee = maskPurchase({ ...a!, customerId, department: 'coffee' });
    const electronics = maskPurchase({
      ...b!,
      customerId,
      department: 'electronics',
      purchaseDate: coffee.purchaseDate + 5 * 60_000,
    });
    const serializer = GmartSerdes.Purchase().serializer();
    const [coupon] = await recordsAfter(admin, 'coupons', 1, () =>
      produce(
        admin,
        'purchases',
        [coffee, electronics].map((p) => ({ key: null, value: serializer.serialize('purchases', p)! })),
      ),
    );
    expect(coupon!.key!.toString()).toBe(customerId);
    expect(GmartSerdes.CorrelatedPurchase().deserializer().deserialize('coupons', coupon!.value)).toEqual(
      correlatePurchases(coffee, electronics),
    );
  },
});
