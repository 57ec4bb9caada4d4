/**
 * `scanningPurchaseSerde` reads the wall clock only when a scan turns a purchase down: held to
 * `GmartSerdes.Purchase` reading the clock for every purchase, while the clock moves on and purchase
 * dates sit on either side of the window's moving end (now + one day).
 */
import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  ScannedPurchase,
  SeededRandom,
  maskPurchase,
  scanningPurchaseSerde,
  type Purchase,
} from '../src';

const TOPIC = 'purchases';
const AHEAD = DEFAULT_PURCHASE_DATE_WINDOW.maxAheadMs;
const write = GmartSerdes.Purchase({ validateOnSerialize: false }).serializer();

function outcome(read: () => unknown): unknown {
  try {
    const p = read() as Purchase | ScannedPurchase;
    return [p.customerId, p.price, p.quantity, p.purchaseDate, p instanceof ScannedPurchase];
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

describe('scanningPurchaseSerde under a moving wall clock', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads what the purchase deserializer reads at the time of each record, reading the clock only for dates past the time it read last', () => {
    const r = new SeededRandom(29);
    let now = Date.UTC(2026, 11, 8);
    let reads = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => {
      reads++;
      return now;
    });
    const scanning = scanningPurchaseSerde().deserializer();
    const reference = GmartSerdes.Purchase({ nullValues: 'reject' }).deserializer();
    const purchases = new PurchaseGenerator({ seed: 3, customers: 100 }).take(4000).map(maskPurchase);
    let ahead = 0;
    let refused = 0;
    let readsByScan = 0;
    for (const p of purchases) {
      // the clock moves on by 0 to 3 minutes, now and then by hours
      now += r.chance(0.02) ? r.int(0, 6 * 3_600_000) : r.int(0, 180_000);
      // dates within a minute of the window's end, on either side, or anywhere in the last day
      const end = now + AHEAD;
      const date = r.chance(0.4) ? end + r.int(-60_000, 60_000) : now - r.int(0, AHEAD);
      if (date > end) ahead++;
      const bytes = write.serialize(TOPIC, { ...p, purchaseDate: date })!;
      const before = reads;
      const got = outcome(() => scanning.deserialize(TOPIC, bytes));
      readsByScan += reads - before;
      const expected = outcome(() => reference.deserialize(TOPIC, bytes));
      if (typeof expected === 'string') refused++;
      // the same purchase (scanned: canonical JSON) or the same error
      expect(got).toEqual(
        typeof expected === 'string' ? expected : [...(expected as unknown[]).slice(0, 4), true],
      );
    }
    expect(ahead).toBeGreaterThan(500);
    expect(refused).toBe(ahead);
    // the clock is read for a purchase the scan at the old time turned down, not for every one
    expect(readsByScan).toBeLessThan(purchases.length);
    expect(readsByScan).toBeGreaterThan(ahead);
  });

  it('still refuses a tombstone and reads a purchase in another form', () => {
    const scanning = scanningPurchaseSerde().deserializer();
    expect(() => scanning.deserialize(TOPIC, null)).toThrow(DeserializationError);
    const p = maskPurchase(new PurchaseGenerator({ seed: 1, customers: 10 }).take(1)[0]!);
    const spaced = Buffer.from(JSON.stringify(JSON.parse(write.serialize(TOPIC, p)!.toString()), null, 1));
    const read = scanning.deserialize(TOPIC, spaced)!;
    expect(read).not.toBeInstanceOf(ScannedPurchase);
    expect(read.customerId).toBe(p.customerId);
  });
});
