/**
 * The masking service reads purchases with `readPurchaseSerde` and masks them with
 * `maskReadPurchase`, scanning canonical JSON instead of parsing it. Held here to the obvious
 * model, the path it replaces: `GmartSerdes.Purchase({ nullValues: 'reject', purchaseDates })` to
 * read, `maskPurchase` to mask, `GmartSerdes.Purchase` to write. Same bytes out or the same error,
 * for generated purchases and for thousands of seeded mutations of them (whitespace, field order,
 * extra and missing fields, number and date forms, escapes, non-ASCII text, card numbers in every
 * field, values out of range, broken JSON).
 */
import {
  DeserializationError,
  GmartSerdes,
  PurchaseGenerator,
  SeededRandom,
  maskPurchase,
  ScannedPurchase,
  isoInstantAt,
  parseIsoInstant,
  scanPurchase,
  type PurchaseDateWindow,
} from '@gmart/gmart';
import { maskReadPurchase, readPurchaseSerde } from '../src/purchase-bytes-serde';

const TOPIC = 'transactions';

/** The path the serde replaces: parse, validate, mask, write. */
function model(data: Buffer | null, window: PurchaseDateWindow | undefined): string {
  try {
    const p = GmartSerdes.Purchase({ nullValues: 'reject', purchaseDates: window })
      .deserializer()
      .deserialize(TOPIC, data)!;
    return GmartSerdes.Purchase().serializer().serialize(TOPIC, maskPurchase(p))!.toString('latin1');
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

function actual(data: Buffer | null, window: PurchaseDateWindow | undefined): string {
  try {
    const read = readPurchaseSerde(window).deserializer().deserialize(TOPIC, data)!;
    return maskReadPurchase(TOPIC, read).toString('latin1');
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

const canonical = new PurchaseGenerator({ seed: 7, customers: 300 })
  .take(2000)
  .map((p) => GmartSerdes.Purchase().serializer().serialize(TOPIC, p)!.toString('latin1'));

/** Luhn-valid and invalid card-shaped runs, with separators, and values that are not cards. */
const CARDS = [
  '4111111111111111',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '4111.1111.1111.1111',
  '4111/1111/1111/1111',
  '4111111111111112',
  '378282246310005',
  '6011000990139424123',
  '4222222222222',
  'xxxx-xxxx-xxxx-1111',
  'XXXX-XXXX-XXXX-1111',
  '4111-1111-1111-111X',
  '4111 1111 1111 1111 ',
  '4111111111111111111',
  '41111111111111111111',
  'not a card',
  '12-34',
  'x',
  '4111--1111-1111-1111',
];

/** One seeded change to a canonical purchase's JSON text. */
function mutate(json: string, r: SeededRandom): string {
  const o = JSON.parse(json) as Record<string, unknown>;
  const pick = <T>(xs: readonly T[]): T => xs[r.int(0, xs.length - 1)]!;
  const textFields = [
    'firstName',
    'lastName',
    'customerId',
    'creditCardNumber',
    'itemPurchased',
    'department',
    'employeeId',
    'zipCode',
    'storeId',
  ];
  const withField = (name: string, raw: string) =>
    json.replace(new RegExp(`("${name}":)("[^"]*"|[^,}]*)`), `$1${raw}`);
  switch (r.int(0, 17)) {
    case 0: // whitespace between tokens
      return pick([
        json.replace(':', ': '),
        json.replace(',', ' ,'),
        ` ${json}`,
        `${json}\n`,
        json.replace('{', '{ '),
      ]);
    case 1: {
      // two fields swapped
      const keys = Object.keys(o);
      const i = r.int(0, keys.length - 2);
      [keys[i], keys[i + 1]] = [keys[i + 1]!, keys[i]!];
      return JSON.stringify(Object.fromEntries(keys.map((k) => [k, o[k]])));
    }
    case 2: // an extra field, first or last
      return r.chance(0.5)
        ? json.replace('{', '{"extra":1,')
        : json.replace(/}$/, ',"note":"4111111111111111"}');
    case 3: {
      const { [pick(Object.keys(o))]: _dropped, ...rest } = o;
      return JSON.stringify(rest);
    }
    case 4:
      return withField(
        'quantity',
        pick(['5.0', '05', '-1', '0', '1', '10000', '10001', '1e1', '2.5', '"3"', 'null', '1E0']),
      );
    case 5:
      return withField(
        'price',
        pick([
          '23.10',
          '-0',
          '0',
          '1e6',
          '1000000',
          '1000001',
          '0.1e1',
          '-1',
          '1e-7',
          '.5',
          '5.',
          '"9.99"',
          '1E2',
          '12.345678901234567',
        ]),
      );
    case 6:
      return withField(
        'purchaseDate',
        pick([
          '1767225600075',
          '"2026-02-30T00:00:00.000Z"',
          '"1969-12-31T23:59:59.999Z"',
          '"1999-12-31T23:59:59.999Z"',
          '"2099-01-01T00:00:00.000Z"',
          '"2026-01-01T00:00:00Z"',
          '"2026-01-01 00:00:00.000Z"',
          '"2024-02-29T12:00:00.000Z"',
          '"+002026-01-01T00:00:00.000Z"',
          '"2026-13-01T00:00:00.000Z"',
        ]),
      );
    case 7: // surrounding spaces, empty, too long
      return withField(
        pick(textFields),
        pick([
          '" padded"',
          '"padded "',
          '""',
          '" "',
          `"${'a'.repeat(201)}"`,
          `"${'b'.repeat(41)}"`,
          `"${'c'.repeat(20)}"`,
        ]),
      );
    case 8: // escapes
      return withField(
        pick(textFields),
        pick([
          '"quo\\"te"',
          '"back\\\\slash"',
          '"\\u0041BC"',
          '"new\\nline"',
          '"\\ud800"',
          '"tab\\t4111111111111111"',
        ]),
      );
    case 9: // non-ASCII text (raw UTF-8), raw control characters
      return withField(
        pick(textFields),
        pick(['"Zoë"', '"東京"', '"😀 4111 1111 1111 1111"', '"a\u0001b"', '"\u00a0nbsp"', '"x\u007f"']),
      );
    case 10:
    case 11:
      return withField('creditCardNumber', `"${pick(CARDS)}"`);
    case 12:
    case 13: // a card number inside another text field
      return withField(pick(textFields), `"paid ${pick(CARDS)} ok"`);
    case 14: // broken JSON
      return pick([
        json.slice(0, r.int(1, json.length - 1)),
        `${json}}`,
        json.replace('"', ''),
        '[]',
        '1',
        'null',
        '',
      ]);
    case 15:
      return withField(pick(textFields), pick(['1', 'null', 'true', '{}']));
    default:
      return json;
  }
}

describe('readPurchaseSerde and maskReadPurchase', () => {
  it('scan canonical purchases and write what the parse -> maskPurchase -> write path writes', () => {
    for (const json of canonical) {
      const bytes = Buffer.from(json, 'latin1');
      expect(scanPurchase(bytes, null, Date.now())).toBeInstanceOf(ScannedPurchase);
      expect(actual(bytes, undefined)).toBe(model(bytes, undefined));
    }
  });

  it('give the same bytes or the same error as that path for seeded mutations', () => {
    const r = new SeededRandom(16);
    let scanned = 0;
    let errors = 0;
    for (let i = 0; i < 20_000; i++) {
      const json = mutate(canonical[i % canonical.length]!, r);
      const bytes = Buffer.from(json, 'utf8');
      const window = i % 3 === 0 ? { earliest: Date.UTC(2026, 0, 1), maxAheadMs: 0 } : undefined;
      const expected = model(bytes, window);
      const got = actual(bytes, window);
      if (got !== expected) throw new Error(`input ${json}: expected ${expected}, got ${got}`);
      if (scanPurchase(bytes, window ?? null, Date.now())) scanned++;
      if (expected.startsWith('error: ')) errors++;
    }
    // Both paths are exercised: scanned inputs, parsed ones, and refused ones.
    expect(scanned).toBeGreaterThan(5000);
    expect(20_000 - scanned - errors).toBeGreaterThan(2000);
    expect(errors).toBeGreaterThan(2000);
  });

  it('mask in place with inPlace: the same bytes out, written into the consumed value only when returned', () => {
    const r = new SeededRandom(17);
    let inPlace = 0;
    let copied = 0;
    const untouched = (bytes: Buffer, original: Buffer, json: string) => {
      if (!bytes.equals(original)) throw new Error(`input ${json}: the consumed bytes changed`);
    };
    for (let i = 0; i < 5_000; i++) {
      const json = i < canonical.length ? canonical[i]! : mutate(canonical[i % canonical.length]!, r);
      const bytes = Buffer.from(json, 'utf8');
      const original = Buffer.from(bytes);
      const expected = model(original, undefined);
      let read;
      try {
        read = readPurchaseSerde().deserializer().deserialize(TOPIC, bytes)!;
      } catch (e) {
        if (!(e instanceof DeserializationError)) throw e;
        untouched(bytes, original, json);
        continue;
      }
      // Without inPlace the consumed bytes stay as they were.
      const copy = maskReadPurchase(TOPIC, read).toString('latin1');
      if (copy !== expected) throw new Error(`input ${json}: expected ${expected}, got ${copy}`);
      untouched(bytes, original, json);
      const out = maskReadPurchase(TOPIC, read, { inPlace: true });
      if (out.toString('latin1') !== expected)
        throw new Error(`input ${json}: expected ${expected}, got ${out}`);
      if (out === bytes) inPlace++;
      else {
        // A copy or a parsed purchase written anew: the consumed bytes were not touched.
        untouched(bytes, original, json);
        copied++;
      }
    }
    // Canonical purchases are masked in place; the others (digit runs elsewhere, parsed) copied.
    expect(inPlace).toBeGreaterThanOrEqual(canonical.length - 50);
    expect(copied).toBeGreaterThan(1000);
  });

  it('refuse a tombstone as the purchase serde does', () => {
    expect(actual(null, undefined)).toBe(model(null, undefined));
    expect(actual(null, undefined)).toMatch(/null value \(tombstone\)/);
  });

  it('write a scanned purchase back as its JSON', () => {
    const bytes = Buffer.from(canonical[0]!, 'latin1');
    const serde = readPurchaseSerde();
    const read = serde.deserializer().deserialize(TOPIC, bytes)!;
    expect(serde.serializer().serialize(TOPIC, read)).toEqual(bytes);
  });
});

describe('isoInstantAt', () => {
  it('reads what parseIsoInstant reads, and refuses what it refuses', () => {
    const r = new SeededRandom(3);
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const cases: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const valid = new Date(r.int(-100, 4_200_000_000) * 1000 + r.int(0, 999)).toISOString();
      let s = valid;
      if (r.chance(0.5)) {
        // One character changed, or a field out of range, or the day of another month.
        const at = r.int(0, s.length - 1);
        const c = r.chance(0.5) ? String(r.int(0, 9)) : pick(r, ['-', ':', 'T', 'Z', '.', ' ', 'x', '']);
        s = r.chance(0.7)
          ? s.slice(0, at) + c + s.slice(at + 1)
          : `${pad(r.int(1969, 2101), 4)}-${pad(r.int(0, 13), 2)}-${pad(r.int(0, 32), 2)}T${pad(r.int(0, 24), 2)}:${pad(r.int(0, 60), 2)}:${pad(r.int(0, 60), 2)}.${pad(r.int(0, 999), 3)}Z`;
      }
      cases.push(s);
    }
    cases.push('2024-02-29T12:00:00.000Z', '2023-02-29T12:00:00.000Z', '2100-02-29T00:00:00.000Z');
    for (const s of cases) {
      // A buffer with the instant in the middle, as in a purchase.
      const b = Buffer.from(`"x":"${s}","y"`, 'latin1');
      expect([s, isoInstantAt(b, 5, 5 + Buffer.byteLength(s, 'latin1'))]).toEqual([s, parseIsoInstant(s)]);
    }
  });
});

function pick<T>(r: SeededRandom, xs: readonly T[]): T {
  return xs[r.int(0, xs.length - 1)]!;
}
