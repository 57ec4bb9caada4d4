import { PurchaseGenerator, PurchaseInputSchema, purchaseToJson } from '../src';
import { readPurchaseFast } from '../src/models/purchase-fast-read';

/** Field values that sit on, just inside and just outside every rule of the schema. */
const EDGE_VALUES: unknown[] = [
  undefined,
  null,
  true,
  0,
  -0,
  1,
  1.5,
  -1,
  10_000,
  10_001,
  999_999.99,
  1_000_000,
  1_000_000.01,
  Number.MAX_SAFE_INTEGER,
  2 ** 60,
  253_402_300_799_999,
  253_402_300_800_000,
  '',
  ' ',
  '\t\n',
  'a',
  ' a ',
  '\u00a0a\u2003',
  'x'.repeat(20),
  'x'.repeat(21),
  ` ${'x'.repeat(20)} `,
  'x'.repeat(40),
  'x'.repeat(41),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  '4111-1111-1111-1111',
  '2026-11-30T05:55:00.000Z',
  '2026-11-30T05:55:00.000z',
  '2026-11-30T05:55:00Z',
  '2026-11-30T05:55:00.1234Z',
  '2026-11-30T05:55:00.000+01:00',
  '2026-11-30',
  '2024-02-29T00:00:00.000Z',
  '2023-02-29T00:00:00.000Z',
  '2100-02-29T00:00:00.000Z',
  '2000-02-29T23:59:59.999Z',
  '2026-04-31T00:00:00.000Z',
  '2026-12-31T24:00:00.000Z',
  '2026-12-31T23:60:00.000Z',
  '2026-12-31T23:59:60.000Z',
  '2026-13-01T00:00:00.000Z',
  '2026-00-01T00:00:00.000Z',
  '2026-01-00T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '+02026-11-30T05:55:00.000Z',
  '2026-11-30 05:55:00.000Z',
  '2026-11-30T05:55:00.00aZ',
  ' 2026-11-30T05:55:00.000Z',
  '2026-1l-30T05:55:00.000Z',
  '1796538900512',
  1_796_538_900_512,
  1_796_538_900_512.5,
  [],
  {},
];

const FIELDS = [
  'firstName',
  'lastName',
  'customerId',
  'creditCardNumber',
  'itemPurchased',
  'department',
  'employeeId',
  'quantity',
  'price',
  'zipCode',
  'storeId',
  'purchaseDate',
];

/** Holds the fast reader to the schema: whatever it reads, the schema reads the same (value, fields, order). */
function expectSameAsSchema(json: unknown): 'fast' | 'schema' {
  const fast = readPurchaseFast(json);
  if (fast === undefined) return 'schema';
  const parsed = PurchaseInputSchema.safeParse(json);
  expect(parsed.success).toBe(true);
  if (!parsed.success) return 'fast';
  expect(Object.keys(fast)).toEqual(Object.keys(parsed.data));
  for (const k of Object.keys(parsed.data))
    expect(Object.is((fast as Record<string, unknown>)[k], (parsed.data as Record<string, unknown>)[k])).toBe(
      true,
    );
  return 'fast';
}

describe('readPurchaseFast (the Purchase serde fast path)', () => {
  const base = new PurchaseGenerator({ seed: 7 })
    .take(500)
    .map((p) => JSON.parse(JSON.stringify(purchaseToJson(p))) as Record<string, unknown>);

  it('reads every generated purchase as the schema does', () => {
    for (const json of base) expect(expectSameAsSchema(json)).toBe('fast');
  });

  it('reads every field edge value as the schema does, or leaves it to the schema', () => {
    let fast = 0;
    let schema = 0;
    for (const field of FIELDS)
      for (const v of EDGE_VALUES) {
        const json = { ...base[0]! };
        if (v === undefined) delete json[field];
        else json[field] = v;
        if (expectSameAsSchema(json) === 'fast') fast++;
        else schema++;
      }
    // Both paths are exercised: plainly valid values take the fast one.
    expect(fast).toBeGreaterThan(50);
    expect(schema).toBeGreaterThan(200);
  });

  it('leaves every invalid field to the schema (whose error names it)', () => {
    for (const field of FIELDS)
      for (const v of EDGE_VALUES) {
        const json = { ...base[1]! };
        if (v === undefined) delete json[field];
        else json[field] = v;
        if (!PurchaseInputSchema.safeParse(json).success) expect(readPurchaseFast(json)).toBeUndefined();
      }
  });

  it('drops unknown fields as the schema does, and refuses what is not an object', () => {
    expect(expectSameAsSchema({ ...base[2]!, extra: 1, __proto__: { firstName: 'x' } })).toBe('fast');
    expect(expectSameAsSchema(JSON.parse(`{"__proto__":{"a":1},${JSON.stringify(base[3]).slice(1)}`))).toBe(
      'fast',
    );
    for (const v of [null, 1, 'purchase', [base[0]], true]) expect(readPurchaseFast(v)).toBeUndefined();
  });

  it('agrees with the schema on random mixes of edge values', () => {
    let state = 42;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let i = 0; i < 3000; i++) {
      const json = { ...base[next(base.length)]! };
      for (let k = next(3); k >= 0; k--) {
        const field = FIELDS[next(FIELDS.length)]!;
        const v = EDGE_VALUES[next(EDGE_VALUES.length)];
        if (v === undefined) delete json[field];
        else json[field] = v;
      }
      expectSameAsSchema(json);
      if (!PurchaseInputSchema.safeParse(json).success) expect(readPurchaseFast(json)).toBeUndefined();
    }
  });
});
