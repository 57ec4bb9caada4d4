/**
 * Issue 11 over the real services as processes (scripts/local-stack: embedded broker and MongoDB,
 * masking, patterns, rewards and storage each its own process), inputs sent as a producer would
 * (kafkajs): tombstones on every input topic, card numbers in text fields and keys with every
 * separator, an unparseable record with a card number sent straight to `purchases`, a binary key.
 * Every service stays live, each bad record lands in its DLQ with a reason, keys pass byte for
 * byte, and no Luhn-valid card number appears in any topic but `transactions`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GmartSerdes, PurchaseGenerator, scanForCardNumbers } from '@gmart/gmart';
import type { Kafka } from 'kafkajs';
import { LocalStack, readTopic, serviceNamed, waitForRecords } from '@gmart/test-support/local-stack';

jest.setTimeout(300_000);

const wire = (v: object) =>
  GmartSerdes.Purchase()
    .serializer()
    .serialize('t', v as never)!;

async function send(
  kafka: Kafka,
  topic: string,
  messages: Array<{ key: Buffer | string | null; value: Buffer | string | null }>,
) {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

describe('hostile and sloppy producers (every service its own process)', () => {
  let dataDir: string;
  let stack: LocalStack | undefined;
  let kafka: Kafka;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-hostile-'));
    stack = await LocalStack.start({
      kafkaPort: 0,
      dataDir,
      services: ['masking', 'patterns', 'rewards', 'storage'].map(serviceNamed),
      httpPorts: 'ephemeral',
      serviceEnv: { COMMIT_INTERVAL_MS: '500', SHUTDOWN_TIMEOUT_MS: '15000' },
    });
    kafka = stack.kafka('hostile-test');
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('tombstones go to each DLQ with a reason, cards are masked everywhere, keys pass byte for byte, nothing stops', async () => {
    const [p1, p2] = new PurchaseGenerator({ seed: 42, startTime: Date.now() - 3_600_000 }).take(2);
    const binaryKey = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await send(kafka, 'transactions', [
      { key: 'k-null', value: null },
      { key: binaryKey, value: wire(p1!) },
      {
        key: '4012 8888 8888 1881',
        value: wire({
          ...p2!,
          itemPurchased: '4111 1111 1111 1111',
          firstName: 'A 4111.1111.1111.1111',
          zipCode: '4111\t1111\t1111\t1111',
          storeId: '4111/1111/1111/1111',
          customerId: '4111-1111-1111-1111',
        }),
      },
    ]);
    await send(kafka, 'purchases', [
      { key: 'p-null', value: null },
      { key: '4111111111111111', value: `{"creditCardNumber":"4111 1111 1111 1111","quantity":"lots"` },
    ]);
    await send(kafka, 'customer_transactions', [{ key: 'c-null', value: null }]);

    // masking: 1 DLQ (tombstone); patterns: 2 (tombstone, unparseable); rewards: 3 (+ repartition
    // tombstone); storage: 2 (tombstone, unparseable).
    const expected: Array<[string, number]> = [
      ['gmart-masking-dlq', 1],
      ['gmart-patterns-dlq', 2],
      ['gmart-rewards-dlq', 3],
      ['gmart-storage-dlq', 2],
    ];
    for (const [dlq, n] of expected) await waitForRecords(kafka, dlq, n, 120_000);
    await waitForRecords(kafka, 'patterns', 2, 120_000);
    for (const [dlq] of expected) {
      const records = await readTopic(kafka, dlq);
      const tombstone = records.find((r) =>
        /null value \(tombstone\)/.test(String(r.headers['__streams.errors.message'])),
      );
      expect(tombstone).toBeDefined();
    }

    // Keys: the binary one byte for byte; the card in a key masked in place.
    const purchases = await readTopic(kafka, 'purchases');
    const keys = purchases.map((r) => (r.key ? [...r.key] : null));
    expect(keys).toContainEqual([0xff, 0xfe, 0x00, 0x41]);
    expect(purchases.map((r) => r.key?.toString('latin1'))).toContain('xxxx xxxx xxxx 1881');

    // Every service still live.
    for (const s of stack!.services) {
      const res = await fetch(`${s.url}/health/live`);
      expect(res.status).toBe(200);
    }

    // No Luhn-valid card number in any topic after masking, DLQs and internal topics included.
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t !== 'transactions' && !t.startsWith('__'));
    await admin.disconnect();
    expect(topics).toEqual(
      expect.arrayContaining(['purchases', 'patterns', 'rewards', 'customer_transactions']),
    );
    // What this test wrote straight to `purchases` and `customer_transactions` is producer input, not output.
    const sentDirectly = new Set([
      'purchases:p-null',
      'purchases:4111111111111111',
      'customer_transactions:c-null',
    ]);
    let scanned = 0;
    for (const t of topics) {
      for (const r of await readTopic(kafka, t)) {
        if (sentDirectly.has(`${t}:${r.key?.toString('latin1')}`)) continue;
        scanned++;
        const parts = [r.key, r.value, ...Object.values(r.headers)].filter(
          (b): b is Buffer => b !== null && b !== undefined,
        );
        for (const b of parts)
          expect({ topic: t, found: scanForCardNumbers(Buffer.from(b).toString('latin1')) }).toEqual({
            topic: t,
            found: [],
          });
      }
    }
    expect(scanned).toBeGreaterThan(10);
  });
});
