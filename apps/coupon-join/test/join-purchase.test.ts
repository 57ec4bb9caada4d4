import {
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  maskPurchase,
  scanForCardNumbers,
} from '@gmart/gmart';
import { joinPurchaseSerde, toJoinPurchase } from '../src/join-purchase';

const TOPIC = 'gmart-coupon-join-coupon-join-left-repartition';
const ser = joinPurchaseSerde.serializer();
const de = joinPurchaseSerde.deserializer();
const purchases = new PurchaseGenerator({ seed: 3, customers: 50 }).take(300).map(maskPurchase);

/** A copy of the binary form of a join purchase, changed by `change`. */
function binary(change?: (bytes: Buffer) => void): Buffer {
  const bytes = Buffer.from(
    ser.serialize(TOPIC, {
      customerId: 'c1',
      itemPurchased: 'latte',
      price: 3.5,
      purchaseDate: 1_700_000_000_000,
    })!,
  );
  change?.(bytes);
  return bytes;
}

describe('joinPurchaseSerde', () => {
  it('reads back the customer id, item, price and date of every purchase it wrote', () => {
    for (const p of purchases) {
      const bytes = ser.serialize(TOPIC, { ...toJoinPurchase(p) })!;
      expect(de.deserialize(TOPIC, Buffer.from(bytes))).toEqual({
        customerId: p.customerId,
        itemPurchased: p.itemPurchased,
        price: p.price,
        purchaseDate: p.purchaseDate,
      });
    }
  });

  it('still reads a whole purchase (what earlier versions wrote to the repartition topics and window stores)', () => {
    const whole = GmartSerdes.Purchase().serializer();
    for (const p of purchases.slice(0, 20))
      expect(de.deserialize(TOPIC, whole.serialize(TOPIC, p))).toEqual(toJoinPurchase(p));
  });

  it('writes no card number and no run of 13 or more digits, and far fewer bytes than the purchase', () => {
    const whole = GmartSerdes.Purchase().serializer();
    for (const p of purchases) {
      const bytes = ser.serialize(TOPIC, toJoinPurchase(p))!;
      // As the end-to-end scans read a topic's bytes.
      const text = bytes.toString('latin1');
      expect(text).not.toMatch(/[0-9]{13}/);
      expect(scanForCardNumbers(text)).toEqual([]);
      expect(text).not.toContain(p.creditCardNumber);
      expect(bytes.length * 3).toBeLessThan(whole.serialize(TOPIC, p)!.length);
    }
  });

  it('adds no digit, space or dash next to the strings it holds (digit-only ids and items stay apart)', () => {
    // Any price and date from 1970 on: the bytes around the customer id and the item are none of those.
    const digits = Object.freeze({
      customerId: '1234567890',
      itemPurchased: '4567890123',
      price: 0.01,
      purchaseDate: 0,
    });
    for (const price of [0, 0.01, 0.9, 1.5, 4, 99.99, 1500, 123456.78])
      for (const purchaseDate of [0, 1, 86_400_000, 1_700_000_000_000, 4_102_444_800_000]) {
        const text = ser.serialize(TOPIC, { ...digits, price, purchaseDate })!.toString('latin1');
        expect(text).not.toMatch(/[0-9 -]{11}/);
        expect(de.deserialize(TOPIC, Buffer.from(text, 'latin1'))).toEqual({
          ...digits,
          price,
          purchaseDate,
        });
      }
  });

  it('still reads the JSON tuple (what the previous version wrote to the repartition topics and window stores)', () => {
    expect(de.deserialize(TOPIC, Buffer.from('["c1","latte",3.5,"lowz0a8g"]'))).toEqual({
      customerId: 'c1',
      itemPurchased: 'latte',
      price: 3.5,
      purchaseDate: parseInt('lowz0a8g', 36),
    });
  });

  it('writes and reads back ids and items of any length and any characters', () => {
    for (const [customerId, itemPurchased] of [
      ['', ''],
      ['c'.repeat(127), 'é'.repeat(63)],
      ['c'.repeat(128), 'item'],
      ['c1', 'ü'.repeat(64)],
      ['客户', 'café ☕'],
    ]) {
      const p = { customerId, itemPurchased, price: 2.5, purchaseDate: 1_700_000_000_000 };
      expect(de.deserialize(TOPIC, Buffer.from(ser.serialize(TOPIC, p)!))).toEqual(p);
    }
  });

  it('reads values frozen', () => {
    const read = de.deserialize(TOPIC, ser.serialize(TOPIC, toJoinPurchase(purchases[0]!)))!;
    expect(Object.isFrozen(read)).toBe(true);
    expect(read).toEqual(toJoinPurchase(purchases[0]!));
  });

  it('gives back the purchase a buffer was written from (a window store hands it to fetches) and parses any other buffer', () => {
    const p = toJoinPurchase(purchases[1]!);
    const bytes = ser.serialize(TOPIC, p)!;
    expect(de.deserialize(TOPIC, bytes)).toBe(p);
    const copy = de.deserialize(TOPIC, Buffer.from(bytes))!;
    expect(copy).not.toBe(p);
    expect(copy).toEqual(p);
    // A purchase someone may still change, or one whose bytes read back otherwise, is always parsed.
    const open = { ...p };
    const openBytes = ser.serialize(TOPIC, open)!;
    open.price = 999;
    expect(de.deserialize(TOPIC, openBytes)!.price).toBe(p.price);
    const negative = Object.freeze({ ...p, purchaseDate: -1 });
    expect(() => de.deserialize(TOPIC, ser.serialize(TOPIC, negative))).toThrow(/purchaseDate/);
  });

  it.each([
    ['not JSON', '["c1",', undefined, /not valid JSON/],
    ['a number', '42', undefined, /neither/],
    ['a short tuple', '["c1","latte",3]', undefined, /neither/],
    ['a cut binary join purchase', binary().subarray(0, 20), undefined, /malformed/],
    [
      'a binary join purchase with bytes after it',
      Buffer.concat([binary(), Buffer.from('x')]),
      undefined,
      /malformed/,
    ],
    ['a binary join purchase with a bad length', binary((b) => (b[17] = 0x10)), undefined, /malformed/],
    ['a binary join purchase without a price', binary((b) => b.writeDoubleBE(NaN, 1)), 'price', /price/],
    [
      'a binary join purchase with a negative date',
      binary((b) => b.writeDoubleBE(-1, 9)),
      'purchaseDate',
      /purchaseDate/,
    ],
    [
      'a binary join purchase with a fractional date',
      binary((b) => b.writeDoubleBE(1.5, 9)),
      'purchaseDate',
      /purchaseDate/,
    ],
    ['a numeric customer id', '[7,"latte",3,"lowz0a8g"]', 'customerId', /customerId/],
    ['a text price', '["c1","latte","3","lowz0a8g"]', 'price', /price/],
    ['a decimal date', '["c1","latte",3,"1700000000000!"]', 'purchaseDate', /purchaseDate/],
    [
      'a purchase with an unreadable date',
      '{"customerId":"c1","itemPurchased":"x","price":1,"purchaseDate":"soon"}',
      'purchaseDate',
      /purchaseDate/,
    ],
  ])('refuses %s with a DeserializationError naming the topic and field', (_what, input, field, message) => {
    let error: unknown;
    try {
      de.deserialize(TOPIC, typeof input === 'string' ? Buffer.from(input) : input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeserializationError);
    expect((error as DeserializationError).message).toMatch(message);
    expect((error as DeserializationError).message).toContain(TOPIC);
    expect((error as DeserializationError).field).toBe(field);
  });

  it('refuses a null value (tombstone)', () => {
    expect(() => de.deserialize(TOPIC, null)).toThrow(DeserializationError);
  });
});
