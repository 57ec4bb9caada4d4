/**
 * The patterns service as a principal with exactly the ACLs its README documents, against the
 * embedded broker with SASL/SCRAM over TLS (CA from a file) and ACLs on: it writes a purchase's
 * pattern (and dead-letters a malformed record) under both processing guarantees and the broker
 * denies it nothing; a wrong password or an untrusted broker certificate stops it at start naming
 * the cause, never a password.
 */
import { join } from 'node:path';
import { GmartSerdes, PurchaseGenerator, maskPurchase, purchasePatternOf } from '@gmart/gmart';
import { bootstrapStreamsService } from '@gmart/nest-streams';
import { describeServiceUnderAcls, produce, recordsAfter } from '@gmart/test-support';
import { PatternsModule, patternsConfig } from '../src';

jest.setTimeout(120_000);

describeServiceUnderAcls({
  user: 'patterns',
  readme: join(__dirname, '..', 'README.md'),
  topics: [{ topic: 'purchases' }, { topic: 'patterns' }, { topic: 'gmart-patterns-dlq' }],
  module: PatternsModule,
  config: patternsConfig,
  bootstrap: bootstrapStreamsService,
  input: 'purchases',
  does: "writes a purchase's pattern",
  exercise: async (admin, guarantee) => {
    const purchase = maskPurchase(
      new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(1)[0]!,
    );
    const wire = GmartSerdes.Purchase().serializer().serialize('purchases', purchase)!;
    const [pattern] = await recordsAfter(admin, 'patterns', 1, () =>
      produce(admin, 'purchases', [{ key: 'p1', value: wire }]),
    );
    expect(pattern!.key!.toString()).toBe('p1');
    expect(GmartSerdes.PurchasePattern().deserializer().deserialize('patterns', pattern!.value)).toEqual(
      purchasePatternOf(purchase),
    );
  },
});
