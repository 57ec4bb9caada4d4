import {
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  maskPurchase,
  scanForCardNumbers,
} from '@gmart/gmart';
import { type JoinPurchase, joinPurchaseSerde, toJoinPurchase } from '../src/join-purchase';

const TOPIC = 'gmart-coupon-join-coupon-join-left-repartition';
const ser = joinPurchaseSerde.serializer();
const de = joinPurchaseSerde.deserializer();
const purchases = new PurchaseGenerator({ seed: 3, customers: 50 }).take(300).map(maskPurchase);

/** A join purchase's fields, as a plain object (a value read may be its own bytes, which carry them). */
function fields(p: JoinPurchase | null): JoinPurchase | null {
  if (p === null) return null;
  const { customerId, itemPurchased, price, purchaseDate } = p;
  return { customerId, itemPurchased, price, purchaseDate };
}

/**
 * What the serde writes for a join purchase, written the plain way (the model): the binary form
 * (`0x01`, price and date as big-endian doubles, customer id and item each after a length byte
 * `0x80 + UTF-8 length`), or the JSON tuple with the date in base 36 when a string is over 127 bytes.
 */
function model(p: JoinPurchase): Buffer {
  const id = Buffer.from(p.customerId, 'utf8');
  const item = Buffer.from(p.itemPurchased, 'utf8');
  if (id.length > 127 || item.length > 127)
    return Buffer.from(JSON.stringify([p.customerId, p.itemPurchased, p.price, p.purchaseDate.toString(36)]));
  const head = Buffer.alloc(17);
  head[0] = 1;
  head.writeDoubleBE(p.price, 1);
  head.writeDoubleBE(p.purchaseDate, 9);
  return Buffer.concat([head, Buffer.from([0x80 + id.length]), id, Buffer.from([0x80 + item.length]), item]);
}

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
      expect(fields(de.deserialize(TOPIC, Buffer.from(bytes)))).toEqual({
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
        expect(fields(de.deserialize(TOPIC, Buffer.from(text, 'latin1')))).toEqual({
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
      expect(fields(de.deserialize(TOPIC, Buffer.from(ser.serialize(TOPIC, p)!)))).toEqual(p);
    }
  });

  it('reads values frozen, or as join purchases that are their own bytes (written as they are)', () => {
    for (const bytes of [
      ser.serialize(TOPIC, toJoinPurchase(purchases[0]!))!,
      Buffer.from('["c1","latte",3.5,"lowz0a8g"]'),
      model({ customerId: 'c1', itemPurchased: 'café', price: 2, purchaseDate: 5 }),
    ]) {
      const read = de.deserialize(TOPIC, Buffer.from(bytes))!;
      if (Buffer.isBuffer(read)) {
        expect(read.equals(bytes)).toBe(true);
        expect(ser.serialize(TOPIC, read)).toBe(read);
      } else expect(Object.isFrozen(read)).toBe(true);
      expect(fields(read)).toEqual(fields(de.deserialize(TOPIC, Buffer.from(bytes))));
    }
  });

  it('gives back the purchase a buffer was written from (a window store hands it to fetches) and parses any other buffer', () => {
    const p = toJoinPurchase(purchases[1]!);
    const bytes = ser.serialize(TOPIC, p)!;
    const read = de.deserialize(TOPIC, bytes)!;
    // The bytes are the purchase: read as they are, written as they are.
    expect(read).toBe(bytes);
    expect(fields(read)).toEqual(p);
    expect(ser.serialize(TOPIC, read)).toBe(bytes);
    const copy = de.deserialize(TOPIC, Buffer.from(bytes))!;
    expect(copy).not.toBe(read);
    expect(fields(copy)).toEqual(p);
    // A purchase someone may still change, or one whose bytes read back otherwise, is always parsed.
    const open = { ...p };
    const openBytes = ser.serialize(TOPIC, open)!;
    open.price = 999;
    expect(de.deserialize(TOPIC, openBytes)!.price).toBe(p.price);
    const negative = Object.freeze({ ...p, purchaseDate: -1 });
    expect(() => de.deserialize(TOPIC, ser.serialize(TOPIC, negative))).toThrow(/purchaseDate/);
  });

  it("writes the model's bytes for every purchase, read or not, and keeps them (values that are their own bytes)", () => {
    const odd: JoinPurchase[] = [
      { customerId: '', itemPurchased: '', price: -0, purchaseDate: 0 },
      { customerId: 'c'.repeat(127), itemPurchased: 'é'.repeat(63), price: 1e-300, purchaseDate: 1 },
      { customerId: 'c'.repeat(128), itemPurchased: 'item', price: 2.5, purchaseDate: 2 ** 53 - 1 },
      { customerId: '客户', itemPurchased: 'café ☕', price: -3, purchaseDate: 1_700_000_000_000 },
      { customerId: '1234567890', itemPurchased: 'x'.repeat(300), price: 1500, purchaseDate: 7 },
    ];
    const all = [...purchases.map(toJoinPurchase), ...odd];
    // Bytes from elsewhere the binary form reads: invalid UTF-8 reads as U+FFFD, and what is
    // written for such a value is its fields' bytes, not the bytes read.
    const invalidUtf8 = model({ customerId: 'c1x', itemPurchased: 'latte', price: 3.5, purchaseDate: 9 });
    invalidUtf8[20] = 0xff;
    const kept: Array<[JoinPurchase, Buffer]> = [];
    const wrong: string[] = [];
    const check = (what: string, ok: boolean) => {
      if (!ok) wrong.push(what);
    };
    // Enough to fill many of the slabs the bytes are cut from.
    for (let round = 0; round < 8; round++) {
      for (const p of all) {
        const frozen = Object.freeze({ ...p });
        const written = ser.serialize(TOPIC, frozen)!;
        check(`written ${p.customerId}`, written.equals(model(p)));
        check(`written open ${p.customerId}`, ser.serialize(TOPIC, { ...p })!.equals(model(p)));
        kept.push([de.deserialize(TOPIC, written)!, model(p)]);
        const read = de.deserialize(TOPIC, Buffer.from(written))!;
        kept.push([read, model(p)]);
      }
      const read = de.deserialize(TOPIC, Buffer.from(invalidUtf8))!;
      check('invalid UTF-8 read', read.customerId === 'c1\ufffd');
      kept.push([read, model(fields(read)!)]);
    }
    for (const [value, bytes] of kept) {
      const written = ser.serialize(TOPIC, value)!;
      check(`kept ${value.customerId}`, written.equals(bytes));
      const again = fields(de.deserialize(TOPIC, Buffer.from(written)));
      check(`read back ${value.customerId}`, JSON.stringify(again) === JSON.stringify(fields(value)));
    }
    expect(wrong).toEqual([]);
    expect(kept.length).toBe(8 * (2 * all.length + 1));
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
