import {
  DeserializationError,
  GmartSerdes,
  STOCK_PERFORMANCE_LOOKBACK,
  StockGenerator,
  type StockPerformance,
  emptyStockPerformance,
  updateStockPerformance,
} from '@gmart/gmart';
import {
  RECENTLY_WRITTEN,
  stockPerformanceStoreSerde,
} from '../src/performance/stock-performance-store-serde';

const TOPIC = 'gmart-stock-analytics-stock-performance-store-changelog';
const json = GmartSerdes.StockPerformance();
const serde = stockPerformanceStoreSerde();
const write = (p: StockPerformance) => serde.serializer().serialize(TOPIC, p)!;
const read = (b: Buffer) => serde.deserializer().deserialize(TOPIC, b);
/** What the JSON serde the store used before gives back for `p`: the reference for every read. */
const viaJson = (p: StockPerformance) =>
  json.deserializer().deserialize(TOPIC, json.serializer().serialize(TOPIC, p));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Every performance a generated stream of trades goes through (0 to 40 samples per symbol). */
function generatedPerformances(): StockPerformance[] {
  const gen = new StockGenerator({ seed: 7, startTime: Date.parse('2026-03-02T14:30:00.000Z') });
  const now = Date.parse('2026-03-02T14:31:00.000Z');
  const bySymbol = new Map<string, StockPerformance>();
  const all: StockPerformance[] = [emptyStockPerformance()];
  for (let i = 0; i < 1500; i++) {
    const t = gen.nextTransaction();
    const p = updateStockPerformance(
      bySymbol.get(t.symbol) ?? emptyStockPerformance(),
      t.sharePrice,
      t.shares,
      now + i,
    );
    bySymbol.set(t.symbol, p);
    all.push(p);
  }
  return all;
}

/** Values on the edges of the schema: fractions that do not print exactly, -0, huge and tiny numbers. */
function edgePerformances(): StockPerformance[] {
  const random = lcg(11);
  const odd = [0.1 + 0.2, 1 / 3, -0, 5e-324, 1.7976931348623157e308, -2.5e-8, 123456789.12345679];
  const out: StockPerformance[] = [];
  for (let n = 0; n <= STOCK_PERFORMANCE_LOOKBACK; n += 5) {
    const pick = () => odd[Math.floor(random() * odd.length)]!;
    out.push({
      samples: n * 1000 + 3,
      currentPrice: pick(),
      currentShareVolume: pick(),
      currentAveragePrice: n % 2 === 0 ? null : pick(),
      currentAverageVolume: n % 10 === 0 ? pick() : null,
      priceDifferential: pick(),
      shareDifferential: -0,
      sharePriceLookback: Array.from({ length: n }, pick),
      shareSizeLookback: Array.from({ length: Math.max(0, n - 5) }, pick),
      lastUpdateSent: n === 0 ? 0 : Date.parse('2026-03-02T14:30:00.000Z') + n,
    });
  }
  return out;
}

describe('stock performance store serde', () => {
  it('reads back exactly what the JSON serde would give, for generated and edge values (same JSON text too)', () => {
    const values = [...generatedPerformances(), ...edgePerformances()];
    for (const p of values) {
      const bytes = write(p);
      expect(bytes[0]).toBe(0xb1);
      const back = read(bytes)!;
      const reference = viaJson(p)!;
      expect(back).toEqual(reference);
      expect(Object.is(back.shareDifferential, -0)).toBe(false);
      // key order too: the HTTP answer and the stock-performance topic print it
      expect(JSON.stringify(back)).toBe(JSON.stringify(reference));
    }
  });

  it('reads a buffer it wrote (the cached value) as it reads a copy of those bytes (read from LMDB or restored)', () => {
    for (const p of [...generatedPerformances(), ...edgePerformances()]) {
      const bytes = write(p);
      const copy = Buffer.from(bytes);
      const fromCopy = read(copy)!;
      for (const back of [read(bytes)!, read(bytes)!]) {
        expect(back).toEqual(fromCopy);
        expect(JSON.stringify(back)).toBe(JSON.stringify(fromCopy));
      }
    }
  });

  it('remembers the last RECENTLY_WRITTEN buffers it wrote (the same object back), older ones are decoded alike', () => {
    const own = stockPerformanceStoreSerde();
    const ser = own.serializer();
    const de = own.deserializer();
    const values = generatedPerformances().slice(0, RECENTLY_WRITTEN * 3);
    const buffers = values.map((p) => ser.serialize(TOPIC, p)!);
    for (let i = 0; i < buffers.length; i++) {
      const back = de.deserialize(TOPIC, buffers[i]!)!;
      const fromCopy = de.deserialize(TOPIC, Buffer.from(buffers[i]!))!;
      expect(back).toEqual(fromCopy);
      expect(JSON.stringify(back)).toBe(JSON.stringify(fromCopy));
      // a recent buffer gives what was remembered for it (not decoded: the same object each time)
      const recent = i >= buffers.length - RECENTLY_WRITTEN;
      expect(de.deserialize(TOPIC, buffers[i]!) === back).toBe(recent);
    }
  });

  it('reads the JSON an earlier version wrote to the store and its changelog', () => {
    for (const p of generatedPerformances().slice(0, 200)) {
      const old = json.serializer().serialize(TOPIC, p)!;
      expect(read(old)).toEqual(viaJson(p));
    }
    expect(serde.serializer().serialize(TOPIC, null)).toBeNull();
    expect(read(null as unknown as Buffer)).toBeNull();
  });

  it('refuses bytes that are neither form with a DeserializationError naming the topic, never the value', () => {
    const good = write(generatedPerformances()[300]!);
    const cases: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([0xb1, 0, 0]),
      Buffer.from('not a performance'),
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.alloc(8)]),
      Buffer.from([0xb1, 4, 0, 0, ...Buffer.alloc(64)]),
      Buffer.from([0xb1, 0, 21, 0, ...Buffer.alloc(8 * 29)]),
    ];
    const nan = Buffer.from(good);
    nan.writeDoubleLE(Number.NaN, 4 + 8);
    const fractionalSamples = Buffer.from(good);
    fractionalSamples.writeDoubleLE(1.5, 4);
    cases.push(nan, fractionalSamples);
    for (const bytes of cases) {
      let error: unknown;
      try {
        read(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeserializationError);
      expect((error as DeserializationError).topic).toBe(TOPIC);
      expect((error as Error).message).toContain('StockPerformance');
    }
    // a JSON value that breaks the schema is refused by the JSON serde, as before
    expect(() => read(Buffer.from('{"samples":-1}'))).toThrow(DeserializationError);
  });
});
