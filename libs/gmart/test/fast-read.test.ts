import {
  PurchaseGenerator,
  PurchaseInputSchema,
  RewardAccumulatorSchema,
  rewardAccumulatorOf,
  ShareVolumeSchema,
  StockGenerator,
  StockPerformanceSchema,
  StockTransactionInputSchema,
  emptyStockPerformance,
  purchaseToJson,
  shareVolumeOf,
  stockTransactionToJson,
  updateStockPerformance,
} from '../src';
import {
  readPurchaseFast,
  readRewardAccumulatorFast,
  readShareVolumeFast,
  readStockPerformanceFast,
  readStockTransactionFast,
} from '../src/models/fast-read';
import type { z } from 'zod';

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
  Infinity,
  -Infinity,
  NaN,
  false,
  'AAPL',
  ' MSFT ',
  'BRK.B',
  'brk.b',
  'ABCDEFGHIJK',
  'ABC DEF',
  [],
  {},
  [1, 2, 3],
  [1, Infinity],
  [1, 'x'],
  Array.from({ length: 20 }, (_, i) => i + 0.5),
  Array.from({ length: 21 }, (_, i) => i),
];

/** Holds a fast reader to its schema: whatever it reads, the schema reads the same (values, fields, order). */
function expectSameAsSchema(
  read: (json: unknown) => unknown,
  schema: z.ZodType<unknown>,
  json: unknown,
): 'fast' | 'schema' {
  const fast = read(json) as Record<string, unknown> | undefined;
  const parsed = schema.safeParse(json);
  if (fast === undefined) return 'schema';
  expect(parsed.success).toBe(true);
  if (!parsed.success) return 'fast';
  const data = parsed.data as Record<string, unknown>;
  expect(Object.keys(fast)).toEqual(Object.keys(data));
  for (const k of Object.keys(data)) {
    if (Array.isArray(data[k])) expect(fast[k]).toEqual(data[k]);
    else expect(Object.is(fast[k], data[k])).toBe(true);
  }
  return 'fast';
}

/** A seeded pseudo-random sequence (the same cases every run). */
function seeded(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

const stocks = new StockGenerator({ seed: 7, startTime: Date.UTC(2026, 11, 6) });
const stockTransactions = Array.from({ length: 300 }, () => stocks.nextTransaction());
const performances = (() => {
  const out = [emptyStockPerformance()];
  for (const t of stockTransactions.slice(0, 60))
    out.push(updateStockPerformance(out[out.length - 1]!, t.sharePrice, t.shares, t.transactionTimestamp));
  return out;
})();
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

const MODELS = [
  {
    name: 'Purchase',
    read: readPurchaseFast,
    schema: PurchaseInputSchema,
    base: new PurchaseGenerator({ seed: 7 }).take(300).map((p) => asJson(purchaseToJson(p))),
  },
  {
    name: 'RewardAccumulator',
    read: readRewardAccumulatorFast,
    schema: RewardAccumulatorSchema,
    base: new PurchaseGenerator({ seed: 8 })
      .take(300)
      .map((p, i) => asJson({ ...rewardAccumulatorOf(p), daysFromLastPurchase: i % 40 })),
  },
  {
    name: 'StockTransaction',
    read: readStockTransactionFast,
    schema: StockTransactionInputSchema,
    base: stockTransactions.map((t) => asJson(stockTransactionToJson(t))),
  },
  {
    name: 'ShareVolume',
    read: readShareVolumeFast,
    schema: ShareVolumeSchema,
    base: stockTransactions.map((t) => asJson(shareVolumeOf(t))),
  },
  {
    name: 'StockPerformance',
    read: readStockPerformanceFast,
    schema: StockPerformanceSchema,
    base: performances.map(asJson),
  },
];

describe.each(MODELS)('the $name fast reader (the serde fast path)', ({ read, schema, base }) => {
  const fields = Object.keys(base[0]!);

  it('reads every generated value as the schema does', () => {
    for (const json of base) expect(expectSameAsSchema(read, schema, json)).toBe('fast');
  });

  it('reads every field edge value as the schema does, or leaves it to the schema', () => {
    let fast = 0;
    let slow = 0;
    for (const field of fields)
      for (const v of EDGE_VALUES) {
        const json = { ...base[base.length - 1]! };
        if (v === undefined) delete json[field];
        else json[field] = v;
        if (expectSameAsSchema(read, schema, json) === 'fast') fast++;
        else slow++;
      }
    // Both paths are exercised: plainly valid values take the fast one.
    expect(fast).toBeGreaterThan(fields.length);
    expect(slow).toBeGreaterThan(fields.length * 20);
  });

  it('leaves every invalid value to the schema (whose error names it)', () => {
    for (const field of fields)
      for (const v of EDGE_VALUES) {
        const json = { ...base[1]! };
        if (v === undefined) delete json[field];
        else json[field] = v;
        if (!schema.safeParse(json).success) expect(read(json)).toBeUndefined();
      }
  });

  it('drops unknown fields as the schema does, and refuses what is not an object', () => {
    expect(expectSameAsSchema(read, schema, { ...base[2]!, extra: 1 })).toBe('fast');
    expect(
      expectSameAsSchema(
        read,
        schema,
        JSON.parse(`{"__proto__":{"a":1},${JSON.stringify(base[3]).slice(1)}`),
      ),
    ).toBe('fast');
    for (const v of [null, 1, 'value', [base[0]], true]) expect(read(v)).toBeUndefined();
  });

  it('agrees with the schema on random mixes of edge values', () => {
    const next = seeded(42);
    for (let i = 0; i < 2000; i++) {
      const json = { ...base[next(base.length)]! };
      for (let k = next(3); k >= 0; k--) {
        const field = fields[next(fields.length)]!;
        const v = EDGE_VALUES[next(EDGE_VALUES.length)];
        if (v === undefined) delete json[field];
        else json[field] = v;
      }
      expectSameAsSchema(read, schema, json);
      if (!schema.safeParse(json).success) expect(read(json)).toBeUndefined();
    }
  });
});
