import { DeserializationError, GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { joinPurchaseSerde, toJoinPurchase } from '../src/join-purchase';

const TOPIC = 'gmart-coupon-join-coupon-join-left-repartition';
const ser = joinPurchaseSerde.serializer();
const de = joinPurchaseSerde.deserializer();
const purchases = new PurchaseGenerator({ seed: 3, customers: 50 }).take(300).map(maskPurchase);

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
    for (const p of purchases.slice(0, 20)) {
      const text = ser.serialize(TOPIC, toJoinPurchase(p))!.toString();
      expect(text).not.toMatch(/[0-9]{13}/);
      expect(text).not.toContain(p.creditCardNumber);
      expect(text.length * 3).toBeLessThan(whole.serialize(TOPIC, p)!.length);
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
    ['a numeric customer id', '[7,"latte",3,"lowz0a8g"]', 'customerId', /customerId/],
    ['a text price', '["c1","latte","3","lowz0a8g"]', 'price', /price/],
    ['a decimal date', '["c1","latte",3,"1700000000000!"]', 'purchaseDate', /purchaseDate/],
    [
      'a purchase with an unreadable date',
      '{"customerId":"c1","itemPurchased":"x","price":1,"purchaseDate":"soon"}',
      'purchaseDate',
      /purchaseDate/,
    ],
  ])('refuses %s with a DeserializationError naming the topic and field', (_what, text, field, message) => {
    let error: unknown;
    try {
      de.deserialize(TOPIC, Buffer.from(text));
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
