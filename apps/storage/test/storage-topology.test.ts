import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { findCardNumbers, GmartSerdes, type Purchase, purchaseToJson } from '@gmart/gmart';
import { DeadLetterHeaders, Serdes } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { MongoSinkStore } from '@gmart/streams-mongodb';
import { Db, MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { buildStorageTopology, CARD_NUMBER_REFUSED, purchaseId } from '../src';

const DLQ_HEADERS = {
  exception: DeadLetterHeaders.EXCEPTION,
  message: DeadLetterHeaders.MESSAGE,
  topic: DeadLetterHeaders.TOPIC,
  offset: DeadLetterHeaders.OFFSET,
};
import { silentLogger, startMongo } from '@gmart/test-support';
import { maskedPurchases } from './helpers';

jest.setTimeout(60000);
const S = Serdes.String();

describe('storage topology (TopologyTestDriver, embedded MongoDB)', () => {
  let mongo: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;
  let driver: TopologyTestDriver;

  beforeAll(async () => {
    mongo = await startMongo();
    client = await MongoClient.connect(mongo.uri);
    db = client.db('storage-ttd');
    driver = await TopologyTestDriver.create(
      buildStorageTopology({
        purchasesTopic: 'purchases',
        deadLetterTopic: 'storage-dlq',
        purchases: db.collection('purchases'),
        securityAudit: () => db.collection('security_audit'),
        batchSize: 100,
        metricsRegistry: new Registry(),
      }),
      {
        logger: silentLogger,
        deserializationExceptionHandler: 'logAndContinue',
        deadLetterQueueTopic: 'storage-dlq',
      },
    );
  });
  afterAll(async () => {
    await driver?.close();
    await client?.close();
    await mongo?.stop();
  });

  const idOf = (p: Purchase) => purchaseId({ value: p } as never, null) as string;

  it('stores purchases over $5 keyed by date, employee 000000 in security_audit, refuses card numbers (any separator) and tombstones to the DLQ', async () => {
    const clean = maskedPurchases(1500, 7, 0.05);
    const card = '4111 1111 1111 1111';
    const leaking: Purchase[] = [
      { ...clean[0], creditCardNumber: card, price: 50, employeeId: '000000' },
      { ...clean[1], itemPurchased: `gift card 4111111111111111`, price: 20 },
      { ...clean[2], creditCardNumber: '5500-0000-0000-0004', price: 1 },
      { ...clean[3], firstName: 'Ann 4111.1111.1111.1111', price: 30 },
      { ...clean[4], zipCode: '4111\t1111\t1111\t1111', price: 30 },
      { ...clean[5], customerId: '4111/1111/1111/1111', price: 30 },
    ];
    const input = driver.createInputTopic('purchases', S, GmartSerdes.Purchase());
    clean.forEach((p, i) => input.pipeInput(i % 3 === 0 ? null : p.customerId, p, p.purchaseDate));
    for (const p of leaking) input.pipeInput(p.customerId, p, p.purchaseDate);
    input.pipeInput('tombstone', null, clean[0].purchaseDate);
    await driver.getStateStore<MongoSinkStore>('purchases-mongodb-sink')!.flush();
    await driver.getStateStore<MongoSinkStore>('security-audit-mongodb-sink')!.flush();

    const over5 = clean.filter((p) => p.price > 5);
    expect(over5.length).toBeGreaterThan(100);
    expect(over5.length).toBeLessThan(clean.length);
    const stored = await db.collection('purchases').find().toArray();
    expect(stored.map((d) => d._id).sort()).toEqual(over5.map(idOf).sort());
    const sample = over5[10];
    const doc = stored.find((d) => String(d._id) === idOf(sample))!;
    expect(doc).toEqual({
      _id: idOf(sample),
      key: new Date(sample.purchaseDate),
      ...purchaseToJson(sample),
      purchaseDate: new Date(sample.purchaseDate),
    });

    const suspects = clean.filter((p) => p.employeeId === '000000');
    expect(suspects.length).toBeGreaterThan(10);
    const audit = await db.collection('security_audit').find().toArray();
    expect(audit.map((d) => d._id).sort()).toEqual(suspects.map(idOf).sort());
    const a = audit.find((d) => String(d._id) === idOf(suspects[0]))!;
    expect(a).toEqual({
      _id: idOf(suspects[0]),
      date: new Date(suspects[0].purchaseDate),
      employee: '000000',
      item: suspects[0].itemPurchased,
    });

    // Nothing stored anywhere holds a card number.
    for (const d of [...stored, ...audit]) expect(findCardNumbers(JSON.stringify(d))).toEqual([]);

    const dlq = driver.createOutputTopic('storage-dlq', S, S).readRecordsToList();
    expect(dlq).toHaveLength(7);
    const tombstone = dlq.pop()!;
    expect(String(tombstone.headers[DLQ_HEADERS.exception])).toBe('DeserializationError');
    expect(String(tombstone.headers[DLQ_HEADERS.message])).toMatch(/null value \(tombstone\)/);
    expect(tombstone.value).toBeNull();
    for (const r of dlq) {
      expect(findCardNumbers(r.value!)).toEqual([]);
      expect(String(r.headers[DLQ_HEADERS.exception])).toBe(CARD_NUMBER_REFUSED);
      expect(String(r.headers[DLQ_HEADERS.topic])).toBe('purchases');
    }
    expect(String(dlq[0].headers[DLQ_HEADERS.message])).toMatch(/creditCardNumber still holds a card number/);
    expect(String(dlq[1].headers[DLQ_HEADERS.message])).toMatch(/itemPurchased still holds a card number/);
    expect(JSON.parse(dlq[0].value!).creditCardNumber).toBe('xxxx xxxx xxxx 1111');
    expect(JSON.parse(dlq[1].value!).itemPurchased).toBe('gift card xxxxxxxxxxxx1111');
    expect(Number(dlq[2].headers[DLQ_HEADERS.offset])).toBe(clean.length + 2);
    expect(String(dlq[3].headers[DLQ_HEADERS.message])).toMatch(/firstName still holds/);
    expect(JSON.parse(dlq[3].value!).firstName).toBe('Ann xxxx.xxxx.xxxx.1111');
    expect(String(dlq[4].headers[DLQ_HEADERS.message])).toMatch(/zipCode still holds/);
    expect(String(dlq[5].headers[DLQ_HEADERS.message])).toMatch(/key still holds/);
    expect(dlq[5].key).toBe('xxxx/xxxx/xxxx/1111');
    expect(driver.droppedRecords()).toEqual({ deserialization_error: 1 });
  });

  it('creates the indexes on purchaseDate, customerId and storeId at start', async () => {
    const purchases = (await db.collection('purchases').listIndexes().toArray()).map((i) => i.name).sort();
    expect(purchases).toEqual(['_id_', 'customerId_1_purchaseDate_1', 'purchaseDate_1', 'storeId_1']);
    const audit = (await db.collection('security_audit').listIndexes().toArray()).map((i) => i.name).sort();
    expect(audit).toEqual(['_id_', 'employee_1_date_1']);
  });
});
