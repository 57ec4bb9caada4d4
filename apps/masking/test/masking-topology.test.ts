import { GmartSerdes, cardNumberRedactor, findCardNumbers, type Purchase } from '@gmart/gmart';
import { Serdes, consoleLogger, type StreamsConfig } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { buildMaskingTopology } from '../src';

/** What the service runs with (`@gmart/nest-streams`' defaults plus the card redactor). */
const maskingStreamsOverrides = (): Partial<StreamsConfig> => ({
  deserializationExceptionHandler: 'logAndContinue',
  processingExceptionHandler: 'logAndContinue',
  redactor: cardNumberRedactor,
});

const topics = { TRANSACTIONS: 'transactions', PURCHASES: 'purchases' };
const S = Serdes.String();
const P = GmartSerdes.Purchase();

/** The seed's purchase: card `1234-5678-9012-1122`, masked as `xxxx-xxxx-xxxx-1122`. */
const seedPurchase: Purchase = {
  firstName: 'Bill',
  lastName: 'Bejeck',
  customerId: '12334568',
  creditCardNumber: '1234-5678-9012-1122',
  itemPurchased: 'kafka streams in action',
  department: 'books',
  employeeId: '000000',
  quantity: 2,
  price: 39.99,
  purchaseDate: Date.UTC(2026, 10, 30, 5, 55),
  zipCode: '19103',
  storeId: 'store-001',
};

describe('masking topology (test driver)', () => {
  let driver: TopologyTestDriver;
  afterEach(() => driver?.close());

  const start = () => {
    driver = new TopologyTestDriver(buildMaskingTopology(topics), {
      ...maskingStreamsOverrides(),
      deadLetterQueueTopic: 'gmart-masking-dlq',
      logger: consoleLogger('silent'),
    });
    return {
      input: driver.createInputTopic(topics.TRANSACTIONS, S, P),
      output: driver.createOutputTopic(topics.PURCHASES, S, P),
    };
  };

  it("masks the seed's card number to xxxx-xxxx-xxxx-1122 and keeps every other field and the key", () => {
    const { input, output } = start();
    input.pipeInput('k1', seedPurchase, 1000);
    const rec = output.readRecord();
    expect(rec.key).toBe('k1');
    expect(rec.value).toEqual({ ...seedPurchase, creditCardNumber: 'xxxx-xxxx-xxxx-1122' });
    expect(output.isEmpty()).toBe(true);
  });

  it.each([
    ['4111 1111 1111 1111', 'xxxx xxxx xxxx 1111'],
    ['4111111111111111', 'xxxxxxxxxxxx1111'],
    ['3782-822463-10005', 'xxxx-xxxxxx-x0005'],
    ['4222222222222', 'xxxxxxxxx2222'],
    ['6011000990139424123', 'xxxxxxxxxxxxxxx4123'],
    ['not a card', 'xxxx'],
    ['12-34', 'xxxx'],
  ])('masks %s as %s', (card, masked) => {
    const { input, output } = start();
    input.pipeValue({ ...seedPurchase, creditCardNumber: card });
    expect(output.readValue()!.creditCardNumber).toBe(masked);
  });

  it('sends a bad record to the dead-letter topic, card numbers masked, reason in a header, and goes on', () => {
    const { input, output } = start();
    const bad = Buffer.from(
      JSON.stringify({ ...seedPurchase, creditCardNumber: '4111-1111-1111-1111', quantity: 'lots' }),
    );
    driver.pipeRaw(topics.TRANSACTIONS, null, bad, 5, {});
    input.pipeValue(seedPurchase);
    expect(output.readValuesToList()).toHaveLength(1);
    const dlq = driver.createOutputTopic('gmart-masking-dlq', S, Serdes.Buffer()).readRecordsToList();
    expect(dlq).toHaveLength(1);
    const text = dlq[0]!.value!.toString('utf8');
    expect(text).toContain('xxxx-xxxx-xxxx-1111');
    expect(findCardNumbers(text)).toEqual([]);
    expect(String(dlq[0]!.headers['__streams.errors.message'])).toContain('quantity');
    expect(driver.droppedRecords()).toEqual({ deserialization_error: 1 });
  });
});

describe('masking dead letters (the card redactor hook)', () => {
  it("masks card numbers in the dead letter's key and headers too", async () => {
    const driver = new TopologyTestDriver(buildMaskingTopology(topics), {
      ...maskingStreamsOverrides(),
      deadLetterQueueTopic: 'gmart-masking-dlq',
      logger: consoleLogger('silent'),
    });
    try {
      const key = Buffer.from('card 5500 0000 0000 0004');
      const value = Buffer.from('not json 4111111111111111');
      const card = Buffer.from('4111-1111-1111-1111');
      driver.pipeRaw(topics.TRANSACTIONS, key, value, 5, {
        'x-card': card,
        'x-text': 'paid with 378282246310005',
      });
      // The consumed record is left as it was read: only the dead-letter copy is masked.
      expect([key.toString(), value.toString(), card.toString()]).toEqual([
        'card 5500 0000 0000 0004',
        'not json 4111111111111111',
        '4111-1111-1111-1111',
      ]);
      const [dead] = driver
        .createOutputTopic('gmart-masking-dlq', Serdes.Buffer(), Serdes.Buffer())
        .readRecordsToList();
      const parts = [
        dead!.key!,
        dead!.value!,
        ...Object.values(dead!.headers).map((h) => Buffer.from(h as Buffer | string)),
      ];
      for (const b of parts) expect(findCardNumbers(b.toString('latin1'))).toEqual([]);
      expect(dead!.key!.toString()).toBe('card xxxx xxxx xxxx 0004');
      expect(dead!.value!.toString()).toBe('not json xxxxxxxxxxxx1111');
      expect(String(dead!.headers['x-text'])).toBe('paid with xxxxxxxxxxx0005');
      expect(String(dead!.headers['__streams.errors.message'])).toMatch(/not valid JSON/);
    } finally {
      await driver.close();
    }
  });
});

describe('masking hardening (issue 11)', () => {
  const B = Serdes.Buffer();
  let driver: TopologyTestDriver;
  afterEach(() => driver?.close());
  const start = () => {
    driver = new TopologyTestDriver(buildMaskingTopology(topics), {
      ...maskingStreamsOverrides(),
      deadLetterQueueTopic: 'gmart-masking-dlq',
      logger: consoleLogger('silent'),
    });
    return {
      dlq: driver.createOutputTopic('gmart-masking-dlq', B, B),
      output: driver.createOutputTopic(topics.PURCHASES, B, P),
    };
  };
  const wire = (p: Purchase) => P.serializer().serialize('t', p)!;

  it('a tombstone goes to the dead-letter topic with the reason, nothing forwarded, and masking goes on', () => {
    const { dlq, output } = start();
    driver.pipeRaw(topics.TRANSACTIONS, Buffer.from('k'), null, 5, {});
    driver.pipeRaw(topics.TRANSACTIONS, Buffer.from('k2'), wire(seedPurchase), 6, {});
    const dead = dlq.readRecordsToList();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value).toBeNull();
    expect(String(dead[0]!.headers['__streams.errors.message'])).toMatch(/null value \(tombstone\)/);
    expect(output.readKeyValuesToList().map((kv) => kv.key!.toString())).toEqual(['k2']);
  });

  it('carries a binary key byte for byte, and masks a card number in the key in place', () => {
    const { output } = start();
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    driver.pipeRaw(topics.TRANSACTIONS, binary, wire(seedPurchase), 5, {});
    driver.pipeRaw(
      topics.TRANSACTIONS,
      Buffer.from([0xff, ...Buffer.from('4012 8888 8888 1881')]),
      wire(seedPurchase),
      6,
      {},
    );
    const keys = output.readKeyValuesToList().map((kv) => [...kv.key!]);
    expect(keys[0]).toEqual([0xff, 0xfe, 0x00, 0x41]);
    expect(keys[1]).toEqual([0xff, ...Buffer.from('xxxx xxxx xxxx 1881')]);
  });

  it('masks card numbers in every text field, with every separator', () => {
    const { output } = start();
    const p: Purchase = {
      ...seedPurchase,
      itemPurchased: '4111 1111 1111 1111',
      firstName: 'x4111.1111.1111.1111',
      customerId: '4012888888881881',
      zipCode: '4111\t1111\t1111\t1111',
      storeId: '4111/1111/1111/1111',
    };
    driver.pipeRaw(topics.TRANSACTIONS, null, wire(p), 5, {});
    const out = output.readValue()!;
    expect(out).toEqual({
      ...seedPurchase,
      creditCardNumber: 'xxxx-xxxx-xxxx-1122',
      itemPurchased: 'xxxx xxxx xxxx 1111',
      firstName: 'xxxxx.xxxx.xxxx.1111',
      customerId: 'xxxxxxxxxxxx1881',
      zipCode: 'xxxx\txxxx\txxxx\t1111',
      storeId: 'xxxx/xxxx/xxxx/1111',
    });
  });

  it.each([
    ['year 0001', '0001-01-01T00:00:00.000Z'],
    ['1969', '1969-12-31T00:00:00.000Z'],
    ['a week ahead', new Date(Date.now() + 7 * 86_400_000).toISOString()],
  ])('rejects a purchase date of %s to the dead-letter topic naming purchaseDate', (_what, date) => {
    const { dlq, output } = start();
    const json = JSON.parse(wire(seedPurchase).toString());
    driver.pipeRaw(
      topics.TRANSACTIONS,
      null,
      Buffer.from(JSON.stringify({ ...json, purchaseDate: date })),
      5,
      {},
    );
    const dead = dlq.readRecordsToList();
    expect(dead).toHaveLength(1);
    expect(String(dead[0]!.headers['__streams.errors.message'])).toMatch(/purchaseDate:/);
    expect(output.isEmpty()).toBe(true);
  });
});
