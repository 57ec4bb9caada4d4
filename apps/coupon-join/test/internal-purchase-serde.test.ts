import { DeserializationError, GmartSerdes, PurchaseGenerator, maskPurchase } from '@gmart/gmart';
import { internalPurchaseSerde } from '../src/internal-purchase-serde';

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

  it('refuses a null value (tombstone)', () => {
    expect(() => de.deserialize(TOPIC, null)).toThrow(DeserializationError);
  });
});
