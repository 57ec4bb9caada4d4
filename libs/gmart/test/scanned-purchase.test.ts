/**
 * `scanPurchase` held to the purchase deserializer it stands in for: whenever it scans a record,
 * the deserializer (same window) reads the same customer id, quantity, price and purchase date, the
 * bytes are exactly what the purchase serializer writes for that purchase (the canonical JSON) and
 * `purchasePatternBytesOf` writes what the pattern serializer writes for its pattern;
 * whenever the deserializer refuses a record, the scanner does too. Generated purchases, seeded
 * mutations of their amounts, dates and customer ids, and random prices and quantities.
 */
import {
  DEFAULT_PURCHASE_DATE_WINDOW,
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  ScannedPurchase,
  SeededRandom,
  maskPurchase,
  purchasePatternBytesOf,
  purchasePatternOf,
  scanPurchase,
  type Purchase,
  type PurchaseDateWindow,
} from '../src';

const TOPIC = 'purchases';
const write = GmartSerdes.Purchase({ validateOnSerialize: false }).serializer();
const writePattern = GmartSerdes.PurchasePattern().serializer();

const canonical = new PurchaseGenerator({ seed: 11, customers: 500 })
  .take(1000)
  .map((p) => write.serialize(TOPIC, maskPurchase(p))!.toString('latin1'));

function parsed(bytes: Buffer, window: PurchaseDateWindow | null): Purchase | string {
  try {
    return GmartSerdes.Purchase({ nullValues: 'reject', purchaseDates: window })
      .deserializer()
      .deserialize(TOPIC, bytes)!;
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

/** The scanner's answer for `bytes` against the deserializer's; throws naming the input on a mismatch. */
function check(json: string, window: PurchaseDateWindow | null): 'scanned' | 'parsed' | 'refused' {
  const bytes = Buffer.from(json, 'utf8');
  const p = parsed(bytes, window);
  const s = scanPurchase(bytes, window, Date.now());
  if (typeof p === 'string') {
    if (s !== undefined) throw new Error(`scanned what the deserializer refuses: ${json} (${p})`);
    return 'refused';
  }
  if (s === undefined) return 'parsed';
  const got = [s.customerId, s.quantity, s.price, s.purchaseDate];
  const want = [p.customerId, p.quantity, p.price, p.purchaseDate];
  if (got.some((v, i) => !Object.is(v, want[i]))) {
    throw new Error(`input ${json}: scanned ${JSON.stringify(got)}, parsed ${JSON.stringify(want)}`);
  }
  if (!write.serialize(TOPIC, p)!.equals(bytes)) throw new Error(`scanned non-canonical bytes: ${json}`);
  const pattern = writePattern.serialize(TOPIC, purchasePatternOf(p))!.toString('latin1');
  if (purchasePatternBytesOf(s).toString('latin1') !== pattern)
    throw new Error(
      `input ${json}: pattern ${purchasePatternBytesOf(s).toString('latin1')}, expected ${pattern}`,
    );
  return 'scanned';
}

function withField(json: string, name: string, raw: string): string {
  return json.replace(new RegExp(`("${name}":)("[^"]*"|[^,}]*)`), `$1${raw}`);
}

const NUMBERS = [
  '0',
  '-0',
  '0.0',
  '1',
  '05',
  '5.0',
  '5.',
  '.5',
  '2.5',
  '23.10',
  '1e1',
  '1E0',
  '0.1e1',
  '1e-7',
  '0.000001',
  '0.0000001',
  '1000000',
  '1000000.01',
  '1000001',
  '10000',
  '10001',
  '12.345678901234567',
  '0.30000000000000004',
  '999999.999999999',
  '"3"',
  'null',
  '0.000001',
  '0.0000015',
  '0.000009',
  '0.00001',
  '00',
  '0e0',
  '0.5e0',
  '1.50',
  '123456.789012345',
  '0.123456789012345',
  '1234567.89012345',
  '999999.9999999999',
  '100000000000000000',
];
const DATES = [
  '"2026-02-30T00:00:00.000Z"',
  '"1999-12-31T23:59:59.999Z"',
  '"2000-01-01T00:00:00.000Z"',
  '"2099-01-01T00:00:00.000Z"',
  '"2026-01-01T00:00:00Z"',
  '"2024-02-29T12:00:00.000Z"',
  '"2026-01-01T24:00:00.000Z"',
  '1767225600075',
];
const CUSTOMER_IDS = ['"c-1"', '" c-1"', '"c-1 "', '""', `"${'c'.repeat(64)}"`, `"${'c'.repeat(65)}"`];
const CUSTOMER_IDS_ESCAPED = ['"c\\u002d1"', '"Zoë"', '"a\\"b"', '1'];

describe('scanPurchase', () => {
  it('scans every canonical purchase, with the values the deserializer reads', () => {
    for (const json of canonical) {
      expect(check(json, DEFAULT_PURCHASE_DATE_WINDOW)).toBe('scanned');
      expect(scanPurchase(Buffer.from(json, 'latin1'), null, Date.now())).toBeInstanceOf(ScannedPurchase);
    }
  });

  it('agrees with the deserializer on seeded mutations of amounts, dates and customer ids', () => {
    const r = new SeededRandom(27);
    const pick = <T>(xs: readonly T[]): T => xs[r.int(0, xs.length - 1)]!;
    const seen = { scanned: 0, parsed: 0, refused: 0 };
    for (let i = 0; i < 6000; i++) {
      const json = canonical[i % canonical.length]!;
      const window = i % 4 === 0 ? null : DEFAULT_PURCHASE_DATE_WINDOW;
      let mutated: string;
      switch (r.int(0, 5)) {
        case 0:
          mutated = withField(json, 'quantity', pick(NUMBERS));
          break;
        case 1:
          mutated = withField(json, 'price', pick(NUMBERS));
          break;
        case 2:
          mutated = withField(json, 'purchaseDate', pick(DATES));
          break;
        case 3:
          mutated = withField(json, 'customerId', pick([...CUSTOMER_IDS, ...CUSTOMER_IDS_ESCAPED]));
          break;
        case 4:
          mutated = pick([
            json.replace(':', ': '),
            `${json} `,
            json.slice(0, -1),
            `${json.slice(0, -1)},"x":1}`,
          ]);
          break;
        default:
          mutated = json;
      }
      seen[check(mutated, window)]++;
    }
    expect(seen.scanned).toBeGreaterThan(1500);
    expect(seen.parsed).toBeGreaterThan(300);
    expect(seen.refused).toBeGreaterThan(300);
  });

  it('reads random prices and quantities as the deserializer does', () => {
    const r = new SeededRandom(5);
    const json = canonical[0]!;
    let scanned = 0;
    for (let i = 0; i < 20_000; i++) {
      const decimals = r.int(0, 9);
      const price = String(Math.round(r.float() * 10 ** r.int(0, 7) * 10 ** decimals) / 10 ** decimals);
      const quantity = String(r.int(0, 10_001));
      const got = check(withField(withField(json, 'price', price), 'quantity', quantity), null);
      if (got === 'scanned') scanned++;
    }
    expect(scanned).toBeGreaterThan(15_000);
  });

  it('reads prices written digit by digit (any length, zeros anywhere) as the deserializer does', () => {
    const r = new SeededRandom(8);
    const json = canonical[1]!;
    const digits = (n: number) => Array.from({ length: n }, () => String(r.int(0, 9))).join('');
    const seen = { scanned: 0, parsed: 0, refused: 0 };
    for (let i = 0; i < 20_000; i++) {
      const whole = r.chance(0.3) ? '0' : `${r.int(1, 9)}${digits(r.int(0, 6))}`;
      const fraction = r.chance(0.2)
        ? ''
        : `.${r.chance(0.3) ? '0'.repeat(r.int(1, 7)) : ''}${digits(r.int(1, 16))}`;
      seen[check(withField(json, 'price', `${whole}${fraction}`), null)]++;
    }
    expect(seen.scanned).toBeGreaterThan(5000);
    expect(seen.parsed).toBeGreaterThan(2000);
  });
});
