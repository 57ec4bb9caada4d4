import {
  DeserializationError,
  GmartSerdes,
  PURCHASE_LIMITS,
  PurchaseGenerator,
  ModelSerializationError,
  addRewardPoints,
  correlatePurchases,
  daysBetween,
  purchasePatternOf,
  rewardAccumulatorOf,
  type Purchase,
} from '../src';
import { SerializationError, StreamsError } from '@gmart/streams';

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

const purchaseSerde = GmartSerdes.Purchase();
const bytes = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const wire = (overrides: Record<string, unknown> = {}, drop?: string) => {
  const o: Record<string, unknown> = {
    ...seedPurchase,
    purchaseDate: '2026-11-30T05:55:00.000Z',
    ...overrides,
  };
  if (drop) delete o[drop];
  return bytes(o);
};

function deserializeError(data: Buffer): DeserializationError {
  try {
    purchaseSerde.deserializer().deserialize('transactions', data);
  } catch (e) {
    expect(e).toBeInstanceOf(DeserializationError);
    return e as DeserializationError;
  }
  throw new Error('expected a DeserializationError');
}

describe('Purchase serde', () => {
  it('round-trips, writing the date as ISO-8601 UTC', () => {
    const data = purchaseSerde.serializer().serialize('purchases', seedPurchase)!;
    expect(JSON.parse(data.toString()).purchaseDate).toBe('2026-11-30T05:55:00.000Z');
    expect(purchaseSerde.deserializer().deserialize('purchases', data)).toEqual(seedPurchase);
  });
  it('round-trips 2000 generated purchases', () => {
    for (const p of new PurchaseGenerator({ seed: 3 }).take(2000)) {
      expect(
        purchaseSerde.deserializer().deserialize('t', purchaseSerde.serializer().serialize('t', p)),
      ).toEqual(p);
    }
  });
  it('accepts purchaseDate as epoch millis, ISO with offset, or a date', () => {
    const d = (v: unknown) =>
      purchaseSerde.deserializer().deserialize('t', wire({ purchaseDate: v }))!.purchaseDate;
    expect(d(seedPurchase.purchaseDate)).toBe(seedPurchase.purchaseDate);
    expect(d('2026-11-30T14:55:00+09:00')).toBe(seedPurchase.purchaseDate);
    expect(d('2026-11-30')).toBe(Date.UTC(2026, 10, 30));
  });
  it('passes tombstones through', () => {
    expect(purchaseSerde.serializer().serialize('t', null)).toBeNull();
    expect(purchaseSerde.deserializer().deserialize('t', null)).toBeNull();
  });
  it('ignores unknown fields', () => {
    expect(purchaseSerde.deserializer().deserialize('t', wire({ extra: 1 }))).toEqual(seedPurchase);
  });
  it.each([
    ['a missing field', wire({}, 'customerId'), 'customerId', /expected string, received undefined/],
    ['a wrong type', wire({ quantity: 'two' }), 'quantity', /must be a number/],
    ['a fractional quantity', wire({ quantity: 1.5 }), 'quantity', /whole number/],
    ['an absurd quantity', wire({ quantity: 1_000_000 }), 'quantity', /absurd/],
    ['a zero quantity', wire({ quantity: 0 }), 'quantity', /at least 1/],
    ['an absurd price', wire({ price: PURCHASE_LIMITS.maxPrice * 10 }), 'price', /absurd/],
    ['a negative price', wire({ price: -1 }), 'price', /negative/],
    ['a bad date', wire({ purchaseDate: '30/11/2026' }), 'purchaseDate', /ISO-8601/],
    [
      'a local date-time without offset',
      wire({ purchaseDate: '2026-11-30T05:55:00' }),
      'purchaseDate',
      /ISO-8601/,
    ],
    ['an empty name', wire({ firstName: '  ' }), 'firstName', /must not be empty/],
  ])('rejects %s naming the field', (_what, data, field, reason) => {
    const e = deserializeError(data);
    expect(e.field).toBe(field);
    expect(e.message).toContain(`${field}:`);
    expect(e.message).toMatch(reason);
    expect(e.message).toContain('"transactions"');
    expect(e).toBeInstanceOf(SerializationError);
    expect(e).toBeInstanceOf(StreamsError);
    expect(e.retriable).toBe(false);
    expect(e.message).not.toContain('1234-5678-9012-1122');
  });
  it('rejects malformed JSON without echoing the input', () => {
    const e = deserializeError(bytes('{"creditCardNumber":"4111-1111-1111-1111", oops'));
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.message).not.toContain('4111');
    expect(e.cause).toBeUndefined();
  });
  it('rejects a non-object and a bad card field without echoing it', () => {
    expect(deserializeError(bytes('[1,2]')).message).toMatch(/expected object/);
    const e = deserializeError(wire({ creditCardNumber: '4111-1111-1111-1111'.repeat(5) }));
    expect(e.field).toBe('creditCardNumber');
    expect(e.message).not.toMatch(/4111/);
  });
  it('refuses to serialize an invalid purchase', () => {
    expect(() =>
      purchaseSerde.serializer().serialize('purchases', { ...seedPurchase, quantity: -3 }),
    ).toThrow(ModelSerializationError);
    expect(() =>
      purchaseSerde.serializer().serialize('purchases', { ...seedPurchase, quantity: -3 }),
    ).toThrow(/quantity/);
  });
  it('skips the schema pass on write with validateOnSerialize: false, and still validates on read', () => {
    const trusting = GmartSerdes.Purchase({ validateOnSerialize: false });
    const bad = { ...seedPurchase, quantity: -3 };
    const written = trusting.serializer().serialize('purchases', bad)!;
    expect(JSON.parse(written.toString('utf8')).quantity).toBe(-3);
    expect(() => trusting.deserializer().deserialize('purchases', written)).toThrow(/quantity/);
    // The same JSON as the validating serde for a valid purchase.
    expect(trusting.serializer().serialize('purchases', seedPurchase)).toEqual(
      purchaseSerde.serializer().serialize('purchases', seedPurchase),
    );
    expect(GmartSerdes.Purchase()).toBe(purchaseSerde);
  });
});

describe('PurchasePattern', () => {
  it('is zip code, item, date and price x quantity', () => {
    expect(purchasePatternOf(seedPurchase)).toEqual({
      zipCode: '19103',
      item: 'kafka streams in action',
      date: seedPurchase.purchaseDate,
      amount: 79.98,
    });
  });
  it('round-trips through its serde and rejects a missing field', () => {
    const serde = GmartSerdes.PurchasePattern();
    const p = purchasePatternOf(seedPurchase);
    expect(serde.deserializer().deserialize('patterns', serde.serializer().serialize('patterns', p))).toEqual(
      p,
    );
    expect(() =>
      serde.deserializer().deserialize('patterns', bytes({ zipCode: '1', item: 'x', amount: 1 })),
    ).toThrow(/date:/);
  });
  it('rounds amounts to cents', () => {
    expect(purchasePatternOf({ ...seedPurchase, price: 1.15, quantity: 100 }).amount).toBe(115);
  });
});

describe('RewardAccumulator', () => {
  it('is built from a purchase as in the book', () => {
    expect(rewardAccumulatorOf(seedPurchase)).toEqual({
      customerId: '12334568',
      purchaseTotal: 79.98,
      totalRewardPoints: 79,
      currentRewardPoints: 79,
      daysFromLastPurchase: 0,
    });
  });
  it('adds the points accumulated so far', () => {
    const acc = addRewardPoints(rewardAccumulatorOf(seedPurchase), 100);
    expect(acc.totalRewardPoints).toBe(179);
    expect(acc.currentRewardPoints).toBe(79);
  });
  it('counts whole days between purchases', () => {
    expect(daysBetween(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 3, 23))).toBe(2);
    expect(daysBetween(Date.UTC(2026, 0, 3), Date.UTC(2026, 0, 1))).toBe(2);
  });
  it('round-trips and rejects negative points', () => {
    const serde = GmartSerdes.RewardAccumulator();
    const acc = rewardAccumulatorOf(seedPurchase);
    expect(serde.deserializer().deserialize('rewards', serde.serializer().serialize('rewards', acc))).toEqual(
      acc,
    );
    expect(() =>
      serde.deserializer().deserialize('rewards', bytes({ ...acc, totalRewardPoints: -1 })),
    ).toThrow(/totalRewardPoints:/);
  });
});

describe('CorrelatedPurchase', () => {
  const coffee: Purchase = {
    ...seedPurchase,
    department: 'coffee',
    itemPurchased: 'latte',
    price: 4.5,
    quantity: 1,
  };
  const gadget: Purchase = {
    ...seedPurchase,
    department: 'electronics',
    itemPurchased: 'headphones',
    price: 99.99,
    purchaseDate: seedPurchase.purchaseDate + 600_000,
  };
  it('joins two purchases as the book PurchaseJoiner does', () => {
    expect(correlatePurchases(coffee, gadget)).toEqual({
      customerId: '12334568',
      firstPurchaseDate: coffee.purchaseDate,
      secondPurchaseDate: gadget.purchaseDate,
      itemsPurchased: ['latte', 'headphones'],
      totalAmount: 104.49,
    });
  });
  it('accepts a missing side and round-trips with null dates', () => {
    const c = correlatePurchases(null, gadget);
    expect(c).toMatchObject({
      customerId: '12334568',
      firstPurchaseDate: null,
      itemsPurchased: ['headphones'],
      totalAmount: 99.99,
    });
    const serde = GmartSerdes.CorrelatedPurchase();
    expect(serde.deserializer().deserialize('coupons', serde.serializer().serialize('coupons', c))).toEqual(
      c,
    );
    expect(() => correlatePurchases(null, null)).toThrow(/at least one purchase/);
  });
});
