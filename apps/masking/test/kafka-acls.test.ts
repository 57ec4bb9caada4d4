/**
 * The masking service as a principal with exactly the ACLs its README documents, against the
 * embedded broker with SASL/SCRAM over TLS (CA from a file) and ACLs on: it masks end to end (and
 * dead-letters a bad record) under both processing guarantees and the broker denies it nothing; a
 * wrong password or an untrusted broker certificate stops it at start naming the cause, never a
 * password.
 */
import { join } from 'node:path';
import { GmartSerdes, PurchaseGenerator } from '@gmart/gmart';
import { bootstrapStreamsService } from '@gmart/nest-streams';
import { describeServiceUnderAcls, produce, recordsAfter } from '@gmart/test-support';
import { MaskingModule, maskingConfig } from '../src';

jest.setTimeout(120_000);

describeServiceUnderAcls({
  user: 'masking',
  readme: join(__dirname, '..', 'README.md'),
  topics: [{ topic: 'transactions' }, { topic: 'purchases' }, { topic: 'gmart-masking-dlq' }],
  module: MaskingModule,
  config: maskingConfig,
  bootstrap: bootstrapStreamsService,
  input: 'transactions',
  does: 'masks purchases',
  exercise: async (admin, guarantee) => {
    const purchase = new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(
      1,
    )[0]!;
    const wire = GmartSerdes.Purchase().serializer().serialize('transactions', purchase)!;
    const [masked] = await recordsAfter(admin, 'purchases', 1, () =>
      produce(admin, 'transactions', [{ key: 'p1', value: wire }]),
    );
    const out = JSON.parse(masked!.value!.toString()) as { creditCardNumber: string };
    expect(out.creditCardNumber).not.toBe(purchase.creditCardNumber);
    // Only the last 4 digits stay.
    expect(out.creditCardNumber.replace(/\D/g, '')).toBe(
      purchase.creditCardNumber.replace(/\D/g, '').slice(-4),
    );
  },
});
