/**
 * coupon-join's purchase serde held to `GmartSerdes.Purchase`, which it stands in for: every record
 * reads as the same purchase (or fails with the same error), the helpers give the parsed purchase's
 * item and department, and what it writes is byte for byte what the purchase serde writes.
 */
import {
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  ScannedPurchase,
  SeededRandom,
  maskPurchase,
  scanningPurchaseSerde,
  type Purchase,
} from '@gmart/gmart';
import { toJoinPurchase } from '../src/join-purchase';
import { departmentOf, inDepartment, itemOf } from '../src/read-purchase';

const TOPIC = 'purchases';
const serde = scanningPurchaseSerde();
const read = serde.deserializer();
const write = serde.serializer();
const reference = GmartSerdes.Purchase({ validateOnSerialize: false, nullValues: 'reject' });

const DEPARTMENTS = [
  'coffee',
  'Coffee',
  'COFFEE',
  'coffe',
  'coffees',
  'electronics',
  'ELECTRONICS',
  'e',
  'x y',
];
const ITEMS = ['latte', 'a', 'tv "4k"', 'café', 'item-12', 'x'.repeat(200)];

function purchases(): Purchase[] {
  const random = new SeededRandom(5);
  return new PurchaseGenerator({ seed: 5, customers: 100 }).take(400).map((p, i) => ({
    ...maskPurchase(p),
    department: i % 3 === 0 ? DEPARTMENTS[random.int(0, DEPARTMENTS.length - 1)]! : p.department,
    itemPurchased: i % 4 === 0 ? ITEMS[random.int(0, ITEMS.length - 1)]! : p.itemPurchased,
  }));
}

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return e instanceof DeserializationError ? `${e.message} [${e.field}]` : e;
  }
}

describe('scanningPurchaseSerde (coupon-join reads purchases with it)', () => {
  it('reads every purchase as the purchase serde does, and writes the same bytes', () => {
    let scanned = 0;
    for (const p of purchases()) {
      const bytes = reference.serializer().serialize(TOPIC, p)!;
      const expected = reference.deserializer().deserialize(TOPIC, bytes)!;
      const got = read.deserialize(TOPIC, bytes)!;
      if (got instanceof ScannedPurchase) scanned++;
      expect(got.customerId).toBe(expected.customerId);
      expect(got.price).toBe(expected.price);
      expect(got.purchaseDate).toBe(expected.purchaseDate);
      expect(itemOf(got)).toBe(expected.itemPurchased);
      expect(departmentOf(got)).toBe(expected.department);
      for (const name of ['coffee', 'electronics', 'e'])
        expect(inDepartment(got, name)).toBe(expected.department.toLowerCase() === name);
      expect(toJoinPurchase(got)).toEqual(toJoinPurchase(expected));
      expect(write.serialize(TOPIC, got)!.equals(reference.serializer().serialize(TOPIC, expected)!)).toBe(
        true,
      );
    }
    // Most are in canonical JSON (scanned); the escaped and non-ASCII ones are parsed.
    expect(scanned).toBeGreaterThan(300);
  });

  it('reads anything else exactly as the purchase serde does: the same purchase or the same error', () => {
    const random = new SeededRandom(9);
    const texts = purchases()
      .slice(0, 100)
      .map((p) => reference.serializer().serialize(TOPIC, p)!.toString('latin1'));
    const variants: string[] = [];
    for (const t of texts) {
      const at = random.int(0, t.length - 1);
      variants.push(
        t.slice(0, at) + t.slice(at + 1),
        t.slice(0, at) + ' ' + t.slice(at),
        t.replace('"department":"', '"department":" '),
        t.replace('"department":"', '"department":"\\u0063'),
        t.replace(/"department":"[^"]*"/, '"department":""'),
        t.replace(/"itemPurchased":"[^"]*"/, '"itemPurchased":"Ω"'),
        t.replace(/"purchaseDate":"[^"]*"/, '"purchaseDate":"2099-01-01T00:00:00.000Z"'),
      );
    }
    for (const v of variants) {
      const bytes = Buffer.from(v, 'utf8');
      const expected = outcome(() => reference.deserializer().deserialize(TOPIC, bytes));
      const got = outcome(() => {
        const p = read.deserialize(TOPIC, bytes)!;
        return { ...toJoinPurchase(p), department: departmentOf(p) };
      });
      if (expected instanceof Object && !(expected instanceof Error))
        expect(got).toEqual({
          ...toJoinPurchase(expected as Purchase),
          department: (expected as Purchase).department,
        });
      else expect(got).toEqual(expected);
    }
  });

  it('refuses a null value (tombstone) as the purchase serde does', () => {
    expect(() => read.deserialize(TOPIC, null)).toThrow(DeserializationError);
  });
});
