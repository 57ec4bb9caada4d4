import { DeserializationError, GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { inputPurchaseSerde, internalPurchaseSerde } from '../src/internal-purchase-serde';

const TOPIC = 'gmart-coupon-join-coupon-join-left-repartition';
const validating = GmartSerdes.Purchase();
const ser = internalPurchaseSerde.serializer();
const de = internalPurchaseSerde.deserializer();

describe('internalPurchaseSerde', () => {
  it('writes what GmartSerdes.Purchase writes and reads back what its validating reader reads', () => {
    for (const p of new PurchaseGenerator({ seed: 3, customers: 50 }).take(300).map(maskPurchase)) {
      const bytes = ser.serialize(TOPIC, p)!;
      expect(bytes.equals(validating.serializer().serialize(TOPIC, p)!)).toBe(true);
      expect(de.deserialize(TOPIC, bytes)).toEqual(validating.deserializer().deserialize(TOPIC, bytes));
    }
  });

  const good = JSON.parse(
    ser.serialize(TOPIC, maskPurchase(new PurchaseGenerator({ seed: 1 }).take(1)[0]!))!.toString(),
  ) as Record<string, unknown>;

  it.each([
    ['not JSON', '{"firstName":', undefined, /not valid JSON/],
    ['an array', '[]', undefined, /not an object/],
    ['a missing customer id', JSON.stringify({ ...good, customerId: undefined }), 'customerId', /customerId/],
    ['a numeric department', JSON.stringify({ ...good, department: 7 }), 'department', /department/],
    ['a fractional quantity', JSON.stringify({ ...good, quantity: 1.5 }), 'quantity', /quantity/],
    ['a text price', JSON.stringify({ ...good, price: '3' }), 'price', /price/],
    [
      'an unreadable date',
      JSON.stringify({ ...good, purchaseDate: 'yesterday' }),
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

  it('encodes a frozen purchase once and reads its own buffers back without parsing', () => {
    const p = Object.freeze(maskPurchase(new PurchaseGenerator({ seed: 5 }).take(1)[0]!));
    const bytes = ser.serialize(TOPIC, p)!;
    expect(ser.serialize('coffee', p)).toBe(bytes);
    expect(de.deserialize(TOPIC, bytes)).toBe(p);
    // A record's buffer from elsewhere is parsed; the purchase read is frozen and written back as
    // equal bytes (a copy, not the record's buffer).
    const incoming = Buffer.from(bytes);
    const read = de.deserialize(TOPIC, incoming)!;
    expect(read).not.toBe(p);
    expect(read).toEqual(p);
    expect(Object.isFrozen(read)).toBe(true);
    const again = ser.serialize(TOPIC, read)!;
    expect(again).not.toBe(incoming);
    expect(again.equals(incoming)).toBe(true);
    expect(de.deserialize(TOPIC, again)).toBe(read);
  });

  it('encodes a purchase that may still change every time', () => {
    const p = maskPurchase(new PurchaseGenerator({ seed: 6 }).take(1)[0]!);
    const before = ser.serialize(TOPIC, p)!;
    p.itemPurchased = 'something else';
    expect(JSON.parse(ser.serialize(TOPIC, p)!.toString()).itemPurchased).toBe('something else');
    expect(JSON.parse(before.toString()).itemPurchased).not.toBe('something else');
  });

  it('inputPurchaseSerde validates with the full schema and freezes what it reads', () => {
    const input = inputPurchaseSerde.deserializer();
    const p = maskPurchase(new PurchaseGenerator({ seed: 8 }).take(1)[0]!);
    const read = input.deserialize('purchases', validating.serializer().serialize('purchases', p))!;
    expect(read).toEqual(p);
    expect(Object.isFrozen(read)).toBe(true);
    const bad = Buffer.from(JSON.stringify({ ...good, quantity: 0 }));
    expect(() => input.deserialize('purchases', bad)).toThrow(/quantity/);
    expect(() => de.deserialize(TOPIC, bad)).not.toThrow();
    expect(() => input.deserialize('purchases', null)).toThrow(DeserializationError);
  });

  it('refuses a null value (tombstone)', () => {
    expect(() => de.deserialize(TOPIC, null)).toThrow(DeserializationError);
  });
});
