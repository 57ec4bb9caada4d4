/**
 * `repartitionedPurchaseSerde` (the values of `customer_transactions`): the compact form round-trips
 * the customer id, quantity, price and date of every purchase the purchase serde accepts; a bad
 * field is a `DeserializationError` naming it, without the value; purchases in JSON (what earlier
 * versions wrote) and tombstones are read as `rewardsPurchaseSerde` reads them; and no value holds
 * more than 8 ASCII digits in a row outside the customer id.
 */
import {
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  maskPurchase,
  scanForCardNumbers,
} from '@gmart/gmart';
import {
  type PurchaseAmounts,
  REPARTITIONED_PURCHASE_HEADER,
  REPARTITIONED_PURCHASE_V1,
  repartitionedPurchaseSerde,
  rewardsPurchaseSerde,
} from '../src';

const TOPIC = 'customer_transactions';
const serde = repartitionedPurchaseSerde();
const write = (p: PurchaseAmounts) => serde.serializer().serialize(TOPIC, p)!;
const read = (b: Buffer | null) => serde.deserializer().deserialize(TOPIC, b);
const amounts = (p: PurchaseAmounts) => [p.customerId, p.quantity, p.price, p.purchaseDate];
const model = GmartSerdes.Purchase({ nullValues: 'reject' });

/** The error message reading `bytes` gives, or the amounts read. */
function outcome(deserialize: (b: Buffer | null) => PurchaseAmounts | null, bytes: Buffer | null): unknown {
  try {
    return amounts(deserialize(bytes)!);
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

/** Longest run of ASCII digits in `b[from, to)`. */
function longestDigitRun(b: Buffer, from: number, to: number): number {
  let best = 0;
  let run = 0;
  for (let i = from; i < to; i++) {
    run = b[i]! >= 0x30 && b[i]! <= 0x39 ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

describe('repartitionedPurchaseSerde', () => {
  const generated = new PurchaseGenerator({ seed: 11, customers: 200 }).take(2000).map(maskPurchase);

  it('round-trips what the transformer uses of every purchase, in 28 bytes plus the customer id', () => {
    for (const p of generated) {
      const bytes = write(p);
      expect(bytes[0]).toBe(REPARTITIONED_PURCHASE_V1);
      expect(bytes.length).toBe(REPARTITIONED_PURCHASE_HEADER + Buffer.byteLength(p.customerId));
      expect(amounts(read(bytes)!)).toEqual(amounts(p));
    }
  });

  it('writes a purchase read by rewardsPurchaseSerde (scanned or parsed) as the same amounts', () => {
    const json = rewardsPurchaseSerde().deserializer();
    for (const p of generated.slice(0, 200)) {
      const bytes = model.serializer().serialize(TOPIC, p)!;
      const scanned = json.deserialize(TOPIC, bytes)!;
      expect(amounts(read(write(scanned))!)).toEqual(amounts(p));
    }
  });

  it('keeps edge values and customer ids of any characters exactly', () => {
    const date = Date.UTC(2026, 0, 1, 12, 34, 56, 789);
    const cases: PurchaseAmounts[] = [
      { customerId: 'c', quantity: 1, price: 0, purchaseDate: Date.UTC(2000, 0, 1) },
      { customerId: 'x'.repeat(64), quantity: 10_000, price: 1_000_000, purchaseDate: date },
      { customerId: 'é'.repeat(64), quantity: 3, price: 0.1 + 0.2, purchaseDate: date },
      { customerId: '😀 a "quoted" \\ id', quantity: 2, price: 5e-324, purchaseDate: date },
      { customerId: '1234567890123456', quantity: 7, price: 19.99, purchaseDate: date },
    ];
    for (const p of cases) expect(amounts(read(write(p))!)).toEqual(amounts(p));
  });

  it('refuses a bad field with an error naming it, never its value', () => {
    const date = Date.UTC(2026, 0, 1);
    const good: PurchaseAmounts = { customerId: 'cust-1', quantity: 2, price: 3.5, purchaseDate: date };
    const bad: Array<[Partial<PurchaseAmounts>, string]> = [
      [{ quantity: 0 }, 'quantity'],
      [{ quantity: 1.5 }, 'quantity'],
      [{ quantity: 10_001 }, 'quantity'],
      [{ quantity: NaN }, 'quantity'],
      [{ price: -0.01 }, 'price'],
      [{ price: 1_000_000.01 }, 'price'],
      [{ price: NaN }, 'price'],
      [{ price: Infinity }, 'price'],
      [{ purchaseDate: Date.UTC(1999, 11, 31) }, 'purchaseDate'],
      [{ purchaseDate: Date.now() + 2 * 86_400_000 }, 'purchaseDate'],
      [{ purchaseDate: date + 0.5 }, 'purchaseDate'],
      [{ customerId: ' cust-1' }, 'customerId'],
      [{ customerId: '   ' }, 'customerId'],
      [{ customerId: 'x'.repeat(65) }, 'customerId'],
    ];
    for (const [change, field] of bad) {
      let error: unknown;
      try {
        read(write({ ...good, ...change }));
      } catch (e) {
        error = e;
      }
      expect([change, error]).toEqual([change, expect.any(DeserializationError)]);
      expect((error as DeserializationError).field).toBe(field);
      expect((error as Error).message).toContain(`"${TOPIC}"`);
      expect((error as Error).message).not.toContain('cust-1');
    }
    // An empty id, invalid UTF-8 in the id, a broken separator, a cut record.
    const ok = write(good);
    const variants = [
      ok.subarray(0, REPARTITIONED_PURCHASE_HEADER),
      Buffer.concat([ok.subarray(0, REPARTITIONED_PURCHASE_HEADER), Buffer.from([0xff, 0x41])]),
      Buffer.from(ok).fill(7, 9, 10),
      ok.subarray(0, 5),
      Buffer.from([REPARTITIONED_PURCHASE_V1]),
    ];
    for (const b of variants) expect(() => read(b)).toThrow(DeserializationError);
  });

  it('reads purchases in JSON and tombstones as rewardsPurchaseSerde does', () => {
    const json = rewardsPurchaseSerde().deserializer();
    const inputs: Array<Buffer | null> = [null, Buffer.alloc(0), Buffer.from('not json')];
    for (const p of generated.slice(0, 100)) {
      const text = model.serializer().serialize(TOPIC, p)!.toString('utf8');
      inputs.push(
        Buffer.from(text),
        Buffer.from(` ${text}`),
        Buffer.from(text.replace('"quantity":', '"qty":')),
      );
    }
    for (const b of inputs)
      expect([b?.toString(), outcome(read, b)]).toEqual([
        b?.toString(),
        outcome((x) => json.deserialize(TOPIC, x), b),
      ]);
  });

  it('holds no more than 8 ASCII digits in a row outside the customer id, and no card number', () => {
    const random = (i: number) => ((i * 2654435761) % 2 ** 32) / 2 ** 32;
    for (let i = 0; i < 5000; i++) {
      const p: PurchaseAmounts = {
        customerId: String(10_000_000 + i),
        quantity: 1 + Math.floor(random(i) * 10_000),
        price: Math.round(random(i + 7) * 1e8) / 100,
        purchaseDate: Date.UTC(2000, 0, 1) + Math.floor(random(i + 13) * 8e11),
      };
      const b = write(p);
      expect(longestDigitRun(b, 0, REPARTITIONED_PURCHASE_HEADER)).toBeLessThanOrEqual(8);
      expect(scanForCardNumbers(b.toString('latin1'))).toEqual([]);
    }
  });
});
