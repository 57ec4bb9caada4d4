/**
 * The masking service as a principal with exactly the ACLs its README documents, against the
 * embedded broker with SASL/SCRAM over TLS (CA from a file) and ACLs on: it masks end to end (and
 * dead-letters a bad record) under both processing guarantees and the broker denies it nothing; a
 * wrong password or an untrusted broker certificate stops it at start naming the cause, never a
 * password.
 */
import { join } from 'node:path';
import { GmartSerdes, PurchaseGenerator } from '@gmart/gmart';
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
import { MaskingModule, maskingConfig } from '../src';

jest.setTimeout(120_000);

describe('masking with exactly the README ACLs (SASL/SCRAM over TLS, ACLs on)', () => {
  let secured: SecuredBroker;
  const dir = tempDir('masking-acls');
  const logs = captureOutput();

  const start = (env: Record<string, string>, guarantee = 'at_least_once') =>
    bootstrapStreamsService({
      module: MaskingModule,
      config: maskingConfig,
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
    const acls = aclBlockOf(join(__dirname, '..', 'README.md'));
    expect(acls.length).toBeGreaterThanOrEqual(5);
    secured = await startSecuredBroker({
      users: { masking: 'masking-Pw-2' },
      acls,
      topics: [{ topic: 'transactions' }, { topic: 'purchases' }, { topic: 'gmart-masking-dlq' }],
    });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  it.each(['at_least_once', 'exactly_once_v2'] as const)(
    'masks purchases and dead-letters a bad record under %s, and the broker denies it nothing',
    async (guarantee) => {
      const { admin } = secured;
      const purchase = new PurchaseGenerator({ seed: guarantee.length, startTime: Date.now() - 60_000 }).take(
        1,
      )[0]!;
      const wire = GmartSerdes.Purchase().serializer().serialize('transactions', purchase)!;
      const before = {
        purchases: await endOffsetSum(admin, 'purchases'),
        dlq: await endOffsetSum(admin, 'gmart-masking-dlq'),
      };
      let service: StreamsService | undefined;
      try {
        service = await start(secured.env('masking'), guarantee);
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
      expect(secured.denials('masking')).toEqual([]);
      for (const password of secured.passwords) expect(logs.text()).not.toContain(password);
    },
  );

  it('stops at start on a wrong password or an untrusted broker certificate, naming the cause', async () => {
    await expectRefusedAtStart(secured, 'masking', (env) => start(env), logs.text);
  });
});
