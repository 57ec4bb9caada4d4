import { GmartSerdes, PurchaseGenerator, maskPurchase, purchasePatternOf, type Purchase } from '@gmart/gmart';
import { Serdes, consoleLogger } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { buildPatternsTopology } from '../src';

const topics = { PURCHASES: 'purchases', PATTERNS: 'patterns' };
const S = Serdes.String();

const seedPurchase: Purchase = {
  firstName: 'Bill',
  lastName: 'Bejeck',
  customerId: '12334568',
  creditCardNumber: 'xxxx-xxxx-xxxx-1122',
  itemPurchased: 'kafka streams in action',
  department: 'books',
  employeeId: '000000',
  quantity: 3,
  price: 39.99,
  purchaseDate: Date.UTC(2026, 10, 30, 5, 55),
  zipCode: '19103',
  storeId: 'store-001',
};

describe('patterns topology (test driver)', () => {
  let driver: TopologyTestDriver;
  afterEach(() => driver?.close());

  const start = () => {
    driver = new TopologyTestDriver(buildPatternsTopology(topics), {
      deserializationExceptionHandler: 'logAndContinue',
      deadLetterQueueTopic: 'gmart-patterns-dlq',
      logger: consoleLogger('silent'),
    });
    return {
      input: driver.createInputTopic(topics.PURCHASES, S, GmartSerdes.Purchase()),
      output: driver.createOutputTopic(topics.PATTERNS, S, GmartSerdes.PurchasePattern()),
    };
  };

  it("extracts the seed's pattern: zip code, item, date and amount = price x quantity", () => {
    const { input, output } = start();
    input.pipeInput('k', seedPurchase, 10);
    const rec = output.readRecord();
    expect(rec.key).toBe('k');
    expect(rec.value).toEqual({
      zipCode: '19103',
      item: 'kafka streams in action',
      date: seedPurchase.purchaseDate,
      amount: 119.97,
    });
  });

  it('writes exactly one pattern per purchase, in order', () => {
    const { input, output } = start();
    const purchases = new PurchaseGenerator({ seed: 7, customers: 50 }).take(200).map(maskPurchase);
    input.pipeValueList(purchases);
    const patterns = output.readValuesToList();
    expect(patterns).toHaveLength(200);
    patterns.forEach((p, i) => {
      const src = purchases[i]!;
      expect(p).toEqual({
        zipCode: src.zipCode,
        item: src.itemPurchased,
        date: src.purchaseDate,
        amount: Math.round(src.price * src.quantity * 100) / 100,
      });
    });
  });

  it('writes for canonical purchases and for other forms the bytes the pattern serde writes', () => {
    start();
    const B = Serdes.Buffer();
    const raw = driver.createOutputTopic(topics.PATTERNS, S, B);
    const purchases = new PurchaseGenerator({ seed: 9, customers: 30 }).take(100).map(maskPurchase);
    const json = purchases.map((p, i) => {
      const text = GmartSerdes.Purchase().serializer().serialize(topics.PURCHASES, p)!.toString('utf8');
      return i % 3 === 0 ? ` ${text}` : text; // every third one not canonical: parsed, not scanned
    });
    for (const j of json) driver.pipeRaw(topics.PURCHASES, null, Buffer.from(j, 'utf8'), 1, {});
    const want = purchases.map((p) =>
      GmartSerdes.PurchasePattern()
        .serializer()
        .serialize(topics.PATTERNS, purchasePatternOf(p))!
        .toString('utf8'),
    );
    expect(raw.readValuesToList().map((v) => v!.toString('utf8'))).toEqual(want);
  });

  it('sends a purchase with a missing field to the dead-letter topic with the reason, and goes on', () => {
    const { input, output } = start();
    const { zipCode: _zip, ...noZip } = seedPurchase;
    driver.pipeRaw(
      topics.PURCHASES,
      null,
      Buffer.from(JSON.stringify({ ...noZip, purchaseDate: '2026-01-01T00:00:00Z' })),
      1,
      {},
    );
    input.pipeValue(seedPurchase);
    expect(output.readValuesToList()).toHaveLength(1);
    const dlq = driver.createOutputTopic('gmart-patterns-dlq', S, Serdes.Buffer()).readRecordsToList();
    expect(dlq).toHaveLength(1);
    expect(String(dlq[0]!.headers['__streams.errors.message'])).toContain('zipCode');
  });
});
