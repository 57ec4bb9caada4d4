import {
  type CorrelatedPurchase,
  CorrelatedPurchaseInputSchema,
  CorrelatedPurchaseSchema,
  GmartSerdes,
  correlatedPurchaseToJson,
  validatingJsonSerde,
} from '../src';
import { correlatedPurchaseJsonBytes } from '../src/models/correlated-purchase-bytes';
import { SeededRandom } from '../src/generator/seeded-random';

const DAY = 86_400_000;
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** The reference: what the serializer wrote before (JSON.stringify of the JSON form). */
const reference = (c: CorrelatedPurchase): Buffer =>
  Buffer.from(JSON.stringify(correlatedPurchaseToJson(c)), 'utf8');

/** Characters that exercise every branch of the string writer (escapes, UTF-8 widths, surrogates). */
const PIECES = [
  'latte',
  'Espresso',
  '4K TV 55"',
  'back\\slash',
  'tab\there',
  'nl\n',
  '\u0000\u001f\u007f',
  'café',
  'Ünïcödé',
  '日本語',
  '😀',
  '\ud83d', // lone high surrogate
  '\ude00', // lone low surrogate
  '\ud83d\ude00x\udfff',
  '</script>',
  '\u2028\u2029',
  '',
];

function randomText(r: SeededRandom, maxPieces: number): string {
  let s = '';
  const n = r.int(0, maxPieces);
  for (let i = 0; i < n; i++) s += r.chance(0.5) ? r.pick(PIECES) : String.fromCharCode(r.int(0x20, 0x7e));
  return s;
}

function randomDate(r: SeededRandom): number | null {
  switch (r.int(0, 9)) {
    case 0:
      return null;
    case 1:
      return r.pick([0, 1, DAY - 1, DAY, MAX_FOUR_DIGIT_YEAR_MS, MAX_FOUR_DIGIT_YEAR_MS + 1, -1, -DAY - 1]);
    case 2:
      return r.pick([8.64e15, -8.64e15, 8.64e15 + 1, NaN, 1.5, 1_700_000_000_000.25]);
    default:
      return r.int(0, 0x3fffffff) * 200_000 + r.int(0, 199_999);
  }
}

function randomAmount(r: SeededRandom): number {
  switch (r.int(0, 8)) {
    case 0:
      return r.pick([0, -0, 1e21, 1.5e-7, Number.MAX_VALUE, -12.34, NaN, Infinity, -Infinity]);
    case 1:
      return r.int(0, 100_000);
    case 2:
      // whole cents up to and past the cents writer's limit (1e13), and amounts in no whole cents
      return r.pick([
        Math.round(r.float() * 1e15) / 100,
        Math.round(r.float() * 1e17) / 100,
        1e13 - 0.01,
        1e13,
        1e13 + 0.01,
        9_999_999_999_999.99,
        0.1 + 0.2,
        1.005,
        12.345,
        0.01,
        0.05,
        0.5,
        10.1,
        100,
        1e-6,
        r.float() * 1000,
      ]);
    default:
      return Math.round(r.float() * 1_000_000) / 100;
  }
}

function randomCoupon(r: SeededRandom): CorrelatedPurchase {
  const items: string[] = [];
  for (let i = r.int(0, 2); i > 0; i--) items.push(randomText(r, 6));
  return {
    customerId: r.chance(0.7) ? `cust-${r.int(0, 999)}` : randomText(r, 8),
    firstPurchaseDate: randomDate(r),
    secondPurchaseDate: randomDate(r),
    itemsPurchased: items,
    totalAmount: randomAmount(r),
  };
}

describe('correlatedPurchaseJsonBytes', () => {
  it('writes exactly the bytes of JSON.stringify of the JSON form, for generated coupons', () => {
    const r = new SeededRandom(17);
    const written: Array<[CorrelatedPurchase, Buffer]> = [];
    let mismatches = 0;
    for (let i = 0; i < 20_000; i++) {
      const c = randomCoupon(r);
      const valid = [c.firstPurchaseDate, c.secondPurchaseDate].every(
        (d) => d === null || Number.isFinite(new Date(d).getTime()),
      );
      if (!valid) {
        // An instant toISOString cannot write: the same RangeError as before.
        expect(() => reference(c)).toThrow(RangeError);
        expect(() => correlatedPurchaseJsonBytes(c)).toThrow(RangeError);
        continue;
      }
      const bytes = correlatedPurchaseJsonBytes(c);
      if (!bytes.equals(reference(c))) mismatches++;
      written.push([c, bytes]);
    }
    expect(mismatches).toBe(0);
    // Buffers handed out share pools: none was overwritten by the ones written after it.
    expect(written.filter(([c, bytes]) => !bytes.equals(reference(c)))).toEqual([]);
    expect(written.length).toBeGreaterThan(15_000);
  });

  it('writes coupons larger than the pool on their own buffer', () => {
    const c: CorrelatedPurchase = {
      customerId: 'c'.repeat(700),
      firstPurchaseDate: 1_700_000_000_000,
      secondPurchaseDate: null,
      itemsPurchased: ['日本語'.repeat(300), 'x"y'.repeat(200)],
      totalAmount: 1.25,
    };
    const small = correlatedPurchaseJsonBytes({ ...c, customerId: 'a', itemsPurchased: [] });
    const smallCopy = Buffer.from(small);
    const large = correlatedPurchaseJsonBytes(c);
    expect(large.equals(reference(c))).toBe(true);
    expect(small.equals(smallCopy)).toBe(true);
    expect(correlatedPurchaseJsonBytes(c).equals(large)).toBe(true);
  });

  it('is what GmartSerdes.CorrelatedPurchase writes, validating or not, and reads back', () => {
    const r = new SeededRandom(5);
    for (const validateOnSerialize of [true, false]) {
      const serde = GmartSerdes.CorrelatedPurchase({ validateOnSerialize });
      // The serde as it was: the schema's output (trimmed texts) through JSON.stringify.
      const before = validatingJsonSerde({
        name: 'CorrelatedPurchase',
        input: CorrelatedPurchaseInputSchema,
        output: CorrelatedPurchaseSchema,
        toJson: correlatedPurchaseToJson,
        validateOnSerialize,
      }).serializer();
      for (let i = 0; i < 500; i++) {
        const c: CorrelatedPurchase = {
          customerId: `cust-${r.int(0, 999)}`,
          firstPurchaseDate: r.chance(0.1) ? null : 1_700_000_000_000 + r.int(0, 1e9),
          secondPurchaseDate: r.chance(0.1) ? null : 1_700_000_000_000 + r.int(0, 1e9),
          itemsPurchased: [r.pick(PIECES.slice(0, 10)) || 'x', 'headphones'],
          totalAmount: Math.round(r.float() * 100_000) / 100,
        };
        const bytes = serde.serializer().serialize('coupons', c)!;
        expect(bytes.equals(before.serialize('coupons', c)!)).toBe(true);
        if (!validateOnSerialize) expect(bytes.equals(reference(c))).toBe(true);
        expect(serde.deserializer().deserialize('coupons', bytes)).toEqual(
          serde.deserializer().deserialize('coupons', before.serialize('coupons', c)),
        );
      }
    }
  });
});
