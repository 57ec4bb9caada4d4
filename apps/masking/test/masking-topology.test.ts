import { GmartSerdes, findCardNumbers, type Purchase } from '@gmart/gmart';
import { Serdes, consoleLogger } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import {
  buildMaskingTopology,
  maskCardNumbersInPlace,
  maskDeadLetterRecord,
  maskingStreamsOverrides,
} from '../src';

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

describe('masking dead letters (handler + deadLetterQueue.mapRecord)', () => {
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

describe('maskDeadLetterRecord', () => {
  it('masks card numbers in the error message header too, and copies instead of writing into the given buffers', () => {
    const value = Buffer.from('{"creditCardNumber":"4111 1111 1111 1111"');
    const out = maskDeadLetterRecord(
      {
        key: null,
        value,
        timestamp: 1,
        headers: {
          '__streams.errors.message': 'Unexpected end of JSON input after "4111 1111 1111 1111"',
          n: undefined,
        },
      },
      {
        reason: 'deserialization',
        error: new Error('x'),
        topic: 't',
        partition: 0,
        offset: 3,
        taskId: '0_0',
        deadLetterTopic: 'dlq',
      },
    )!;
    expect(value.toString()).toBe('{"creditCardNumber":"4111 1111 1111 1111"');
    expect(out.value!.toString()).toBe('{"creditCardNumber":"xxxx xxxx xxxx 1111"');
    expect(out.key).toBeNull();
    expect(out.timestamp).toBe(1);
    expect(out.headers['__streams.errors.message']).toBe(
      'Unexpected end of JSON input after "xxxx xxxx xxxx 1111"',
    );
    expect(out.headers).toHaveProperty('n', undefined);
  });
});

describe('maskCardNumbersInPlace', () => {
  it('masks every card-shaped number in the buffer itself, keeping its length and the last 4 digits', () => {
    const buf = Buffer.from('{"a":"4111 1111 1111 1111","b":"5500-0000-0000-0004","c":"12345"}');
    const len = buf.length;
    expect(maskCardNumbersInPlace(buf)).toBe(2);
    expect(buf.length).toBe(len);
    expect(buf.toString()).toBe('{"a":"xxxx xxxx xxxx 1111","b":"xxxx-xxxx-xxxx-0004","c":"12345"}');
  });

  it('leaves text without card numbers unchanged', () => {
    const buf = Buffer.from('{"quantity":"lots"}');
    expect(maskCardNumbersInPlace(buf)).toBe(0);
    expect(buf.toString()).toBe('{"quantity":"lots"}');
  });
});
