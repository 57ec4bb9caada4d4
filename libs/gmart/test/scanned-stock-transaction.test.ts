/**
 * `scanStockTransaction` and the StockTransaction deserializer that tries it first, held to the
 * deserializer as it was (JSON.parse, the fast reader, the schema): on generated trades every
 * record is scanned and read the same (values and field order); on seeded mutations (whitespace,
 * escapes, field order, numbers in other forms, bad values, other timestamps, trailing bytes) the
 * scanner either declines or reads the same, and the deserializer gives the same value or the same
 * error message.
 */
import {
  DeserializationError,
  GmartSerdes,
  SeededRandom,
  StockGenerator,
  StockTransactionInputSchema,
  StockTransactionSchema,
  stockTransactionToJson,
  validatingJsonSerde,
} from '../src';
import { readStockTransactionFast } from '../src/models/fast-read';
import { scanStockTransaction } from '../src/models/scanned-stock-transaction';

const TOPIC = 'stock-transactions';
const write = GmartSerdes.StockTransaction().serializer();
/** The deserializer before the scanner (same spec without it). */
const before = validatingJsonSerde({
  name: 'StockTransaction',
  input: StockTransactionInputSchema,
  output: StockTransactionSchema,
  toJson: stockTransactionToJson,
  fastInput: readStockTransactionFast,
  nullValues: 'reject',
}).deserializer();
const now = GmartSerdes.StockTransaction({ nullValues: 'reject' }).deserializer();

/** A read as JSON text (values and field order) or the error's message. */
function read(de: typeof now, bytes: Buffer): string {
  try {
    return JSON.stringify(de.deserialize(TOPIC, bytes));
  } catch (e) {
    if (!(e instanceof DeserializationError)) throw e;
    return `error: ${e.message}`;
  }
}

const generated = (() => {
  const g = new StockGenerator({ seed: 7, startTime: Date.parse('2026-03-02T14:30:00.000Z') });
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) out.push(write.serialize(TOPIC, g.nextTransaction())!.toString('latin1'));
  return out;
})();

/** Replaces the first `from` of `text` by `to`. */
const swap = (text: string, from: string | RegExp, to: string): string => text.replace(from, to);

const MUTATIONS: Array<(t: string, r: SeededRandom) => string> = [
  (t) => ` ${t}`,
  (t) => `${t} `,
  (t) => `${t}x`,
  (t) => t.slice(0, -1),
  (t) => swap(t, ':', ': '),
  (t) => swap(t, '"symbol":"', '"symbol":" '),
  (t) => swap(t, /"sector":"([^"]*)"/, '"sector":"$1 "'),
  (t) => swap(t, /"symbol":"[^"]*"/, '"symbol":"xrx"'),
  (t) => swap(t, /"symbol":"[^"]*"/, '"symbol":"ABCDEFGHIJK"'),
  (t) => swap(t, /"symbol":"[^"]*"/, '"symbol":""'),
  (t) => swap(t, /"industry":"[^"]*"/, '"industry":"a\\"b"'),
  (t) => swap(t, /"industry":"[^"]*"/, '"industry":"caf\\u00e9"'),
  (t) => swap(t, /"industry":"[^"]*"/, `"industry":"${'i'.repeat(101)}"`),
  (t) => swap(t, /"customerId":"[^"]*"/, `"customerId":"${'c'.repeat(64)}"`),
  (t) => swap(t, /"customerId":"[^"]*"/, `"customerId":"${'c'.repeat(65)}"`),
  (t, r) =>
    swap(
      t,
      /"shares":\d+/,
      `"shares":${r.pick(['0', '-1', '01', '1.0', '1e3', '10000000', '10000001', '99999999999', '7'])}`,
    ),
  (t, r) =>
    swap(
      t,
      /"sharePrice":[^,]+/,
      `"sharePrice":${r.pick(['0', '0.0', '-1.5', '1e-7', '1.5e2', '12.50', '0.05', '1000000', '1000000.01', '3.141592653589793', '0.1234567890123456789', '7', '00.5', '.5', '5.'])}`,
    ),
  (t, r) =>
    swap(
      t,
      /"transactionTimestamp":"[^"]*"/,
      `"transactionTimestamp":${r.pick(['"2026-02-30T10:00:00.000Z"', '"2026-03-02T24:00:00.000Z"', '"2026-03-02T10:00:00Z"', '"2026-03-02T10:00:00.000+00:00"', '1772461800000', '"1969-12-31T23:59:59.999Z"', '"2024-02-29T00:00:00.000Z"', 'null'])}`,
    ),
  (t, r) =>
    swap(t, /"purchase":(true|false)/, `"purchase":${r.pick(['null', '1', '"true"', 'true', 'false'])}`),
  (t) => swap(t, /,"purchase":(true|false)/, ''),
  (t) => swap(t, '}', ',"extra":1}'),
  (t) => {
    const o = JSON.parse(t) as Record<string, unknown>;
    const { symbol, ...rest } = o;
    return JSON.stringify({ ...rest, symbol });
  },
  (t, r) => {
    const i = r.int(0, t.length - 1);
    return t.slice(0, i) + String.fromCharCode(r.int(0x20, 0x7e)) + t.slice(i + 1);
  },
];

describe('scanStockTransaction', () => {
  it('scans every generated trade and reads exactly what the deserializer read', () => {
    for (const text of generated) {
      const bytes = Buffer.from(text, 'latin1');
      const scanned = scanStockTransaction(bytes);
      expect(scanned).toBeDefined();
      expect(JSON.stringify(scanned)).toBe(read(before, bytes));
      expect(read(now, bytes)).toBe(read(before, bytes));
    }
  });

  it('declines or reads the same on mutated records; the deserializer reads them as before', () => {
    const r = new SeededRandom(29);
    let scanned = 0;
    let declined = 0;
    const differences: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = MUTATIONS[r.int(0, MUTATIONS.length - 1)]!(r.pick(generated), r);
      const bytes = Buffer.from(text, 'utf8');
      const s = scanStockTransaction(bytes);
      const was = read(before, bytes);
      if (s === undefined) declined++;
      else {
        scanned++;
        if (JSON.stringify(s) !== was) differences.push(`${text}: scanned ${JSON.stringify(s)}, was ${was}`);
      }
      const is = read(now, bytes);
      if (is !== was) differences.push(`${text}: now ${is}, was ${was}`);
    }
    expect(differences.slice(0, 5)).toEqual([]);
    // both sides were exercised
    expect(scanned).toBeGreaterThan(2_000);
    expect(declined).toBeGreaterThan(2_000);
  });

  it('returns strings that stay right when the bytes they were read from change', () => {
    const bytes = Buffer.from(generated[0]!, 'latin1');
    const first = scanStockTransaction(bytes)!;
    const copy = { ...first };
    bytes.fill(0x41);
    expect(first).toEqual(copy);
  });
});
