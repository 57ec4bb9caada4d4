import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { findCardNumbers, type Purchase } from '@gmart/gmart';
import { bootstrapStreamsService, type StreamsService } from '@gmart/nest-streams';
import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { purchaseId, storageConfig, StorageModule } from '../src';
import {
  consume,
  createTopics,
  produce,
  startBroker,
  startMongo,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import { json, maskedPurchases } from './helpers';

jest.setTimeout(120000);

describe('storage service (NestJS, embedded broker and MongoDB)', () => {
  let broker: EmbeddedKafka;
  let brokers: string[];
  let kafka: Kafka;
  let mongo: EmbeddedMongo;
  let client: MongoClient;
  let service: StreamsService;
  const purchases = maskedPurchases(600, 11, 0.05);
  const over5 = purchases.filter((p) => p.price > 5);
  const idOf = (p: Purchase) => purchaseId({ value: p } as never, null) as string;

  beforeAll(async () => {
    ({ broker, brokers, kafka } = await startBroker());
    mongo = await startMongo();
    client = await MongoClient.connect(mongo.uri);
    await createTopics(kafka, [{ topic: 'purchases', numPartitions: 3 }, { topic: 'gmart-storage-it-dlq' }]);
    service = await bootstrapStreamsService({
      module: StorageModule,
      config: storageConfig,
      handleSignals: false,
      host: '127.0.0.1',
      env: {
        KAFKA_BROKERS: brokers.join(','),
        APPLICATION_ID: 'gmart-storage-it',
        HTTP_PORT: '0',
        LOG_LEVEL: 'silent',
        STATE_DIR: tempDir('storage-state'),
        COMMIT_INTERVAL_MS: '300',
        MONGODB_URI: mongo.uri,
        MONGODB_DATABASE: 'it',
      },
    });
    const card = { ...purchases[0], creditCardNumber: '4111-1111-1111-1111' };
    await produce(kafka, 'purchases', [
      ...purchases.map((p) => ({ key: p.customerId, value: json(p) })),
      { key: card.customerId, value: json(card) },
    ]);
    await waitFor(
      async () => (await client.db('it').collection('purchases').countDocuments()) === over5.length,
      60000,
      'purchases stored',
    );
  });
  afterAll(async () => {
    await service?.close();
    await client?.close();
    await mongo?.stop();
    await broker?.stop();
  });

  const get = async (query: string) => {
    const res = await fetch(`${service.url}/purchases${query}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('stores exactly the purchases over $5 and the security audit of employee 000000', async () => {
    const ids = (
      await client
        .db('it')
        .collection('purchases')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id as unknown as string);
    expect(ids.sort()).toEqual(over5.map(idOf).sort());
    const suspects = purchases.filter((p) => p.employeeId === '000000');
    await waitFor(
      async () => (await client.db('it').collection('security_audit').countDocuments()) === suspects.length,
      30000,
      'audit stored',
    );
    const audit = await client.db('it').collection('security_audit').find().toArray();
    expect(audit.map((d) => d._id as unknown as string).sort()).toEqual(suspects.map(idOf).sort());
  });

  it('sends the purchase with an unmasked card number to the dead-letter topic, masked', async () => {
    const dlq = await consume(kafka, 'gmart-storage-it-dlq', 1);
    expect(findCardNumbers(dlq[0].value!.toString())).toEqual([]);
    expect(JSON.parse(dlq[0].value!.toString()).creditCardNumber).toBe('xxxx-xxxx-xxxx-1111');
    expect(dlq[0].headers['__streams.errors.message']).toMatch(/creditCardNumber still holds a card number/);
  });

  it("GET /purchases pages through a customer's purchases in a date range", async () => {
    const counts = new Map<string, number>();
    for (const p of over5) counts.set(p.customerId, (counts.get(p.customerId) ?? 0) + 1);
    const [customerId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const mine = over5
      .filter((p) => p.customerId === customerId)
      .sort((a, b) => a.purchaseDate - b.purchaseDate);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    const all = await get(`?customerId=${customerId}&pageSize=2`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(mine.length);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0].purchaseDate).toBe(new Date(mine[0].purchaseDate).toISOString());
    expect(all.body.items[0].key).toBe(new Date(mine[0].purchaseDate).toISOString());
    expect(all.body.items[0].id).toBe(idOf(mine[0]));
    const page2 = await get(`?customerId=${customerId}&pageSize=2&page=2`);
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual(mine.slice(2, 4).map(idOf));
    const from = new Date(mine[1].purchaseDate).toISOString();
    const to = mine[mine.length - 1].purchaseDate;
    const ranged = await get(`?customerId=${customerId}&from=${from}&to=${to}`);
    expect(ranged.body.items.map((i: { id: string }) => i.id)).toEqual(mine.slice(1, -1).map(idOf));
    const everything = await get('?pageSize=500');
    expect(everything.body.total).toBe(over5.length);
  });

  it('GET /purchases/count answers the stored count without a query (estimatedDocumentCount)', async () => {
    const res = await fetch(`${service.url}/purchases/count`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: over5.length });
  });

  it('GET /purchases rejects bad parameters with a 400 naming them', async () => {
    for (const [q, text] of [
      ['?pageSize=0', /pageSize must be a whole number from 1 to 500/],
      ['?pageSize=501', /pageSize/],
      ['?page=abc', /page must be a whole number/],
      ['?from=yesterday', /from must be an ISO-8601 date/],
      ['?from=2026-02-01&to=2026-01-01', /from must be before to/],
      ['?customerId=a%20b', /customerId must be/],
      ['?customer=1', /unknown query parameter\(s\): customer/],
      ['?page=1&page=2', /page must be given once/],
    ] as const) {
      const res = await get(q);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(text);
    }
  });
});
