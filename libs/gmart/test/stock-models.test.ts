import {
  DeserializationError,
  GmartSerdes,
  ModelSerializationError,
  STOCK_PERFORMANCE_LOOKBACK,
  StockGenerator,
  emptyStockPerformance,
  exceedsDifferential,
  shareVolumeOf,
  sumShareVolumes,
  transactionSummaryKey,
  transactionSummaryOf,
  updateStockPerformance,
  type StockTransaction,
} from '../src';

const START = Date.parse('2026-03-01T09:30:00.000Z');
const tx: StockTransaction = {
  symbol: 'XRX',
  sector: 'technology',
  industry: 'office equipment',
  shares: 120,
  sharePrice: 18.42,
  customerId: 'C-0001',
  transactionTimestamp: START,
  purchase: true,
};
const buf = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('StockTransaction serde', () => {
  const serde = GmartSerdes.StockTransaction();

  it('round-trips, writing the timestamp as ISO-8601 UTC', () => {
    const bytes = serde.serializer().serialize('stock-transactions', tx)!;
    expect(JSON.parse(bytes.toString()).transactionTimestamp).toBe('2026-03-01T09:30:00.000Z');
    expect(serde.deserializer().deserialize('stock-transactions', bytes)).toEqual(tx);
  });

  it('round-trips 2000 generated transactions', () => {
    const g = new StockGenerator({ seed: 3, startTime: START });
    for (let i = 0; i < 2000; i++) {
      const t = g.nextTransaction();
      expect(serde.deserializer().deserialize('t', serde.serializer().serialize('t', t))).toEqual(t);
    }
  });

  it('rejects a bad symbol, zero shares and a missing side, naming the field', () => {
    const d = serde.deserializer();
    expect(() => d.deserialize('t', buf({ ...tx, symbol: 'xrx' }))).toThrow(
      /symbol: must be 1-10 upper-case/,
    );
    expect(() => d.deserialize('t', buf({ ...tx, shares: 0 }))).toThrow(/shares: must be at least 1/);
    const { purchase: _p, ...noSide } = tx;
    expect(() => d.deserialize('t', buf(noSide))).toThrow(DeserializationError);
    expect(() => d.deserialize('t', Buffer.from('{oops'))).toThrow(/not valid JSON/);
  });

  it('refuses to serialize a negative price', () => {
    expect(() => serde.serializer().serialize('t', { ...tx, sharePrice: -1 })).toThrow(
      ModelSerializationError,
    );
  });
});

describe('reference and result models', () => {
  it('round-trip through their serdes and reject bad values', () => {
    const cases: [keyof typeof GmartSerdes, unknown, unknown][] = [
      ['StockTicker', { symbol: 'XRX', price: 18.5 }, { symbol: 'XRX', price: 0 }],
      [
        'Company',
        { symbol: 'XRX', name: 'Xerox', sector: 'technology', industry: 'office equipment' },
        { symbol: 'XRX', name: '', sector: 'technology', industry: 'office equipment' },
      ],
      ['Client', { customerId: 'C-1', name: 'Ada Weber' }, { customerId: 'C-1' }],
      [
        'ShareVolume',
        { symbol: 'XRX', industry: 'x', shares: 5 },
        { symbol: 'XRX', industry: 'x', shares: -5 },
      ],
    ];
    for (const [name, good, bad] of cases) {
      const serde = (GmartSerdes[name] as () => import('../src').Serde<unknown>)();
      expect(serde.deserializer().deserialize('t', serde.serializer().serialize('t', good))).toEqual(good);
      expect(() => serde.deserializer().deserialize('t', buf(bad))).toThrow(DeserializationError);
    }
  });

  it('ShareVolume sums shares and keeps the newer industry', () => {
    const a = shareVolumeOf(tx);
    const b = shareVolumeOf({ ...tx, shares: 30, industry: 'printing' });
    expect(sumShareVolumes(a, b)).toEqual({ symbol: 'XRX', industry: 'printing', shares: 150 });
  });

  it('TransactionSummary groups by customer and ticker', () => {
    const s = transactionSummaryOf(tx);
    expect(s).toMatchObject({ customerId: 'C-0001', stockTicker: 'XRX', summaryCount: 0, companyName: null });
    expect(transactionSummaryKey(s)).toBe('C-0001|XRX');
    const serde = GmartSerdes.TransactionSummary();
    expect(serde.deserializer().deserialize('t', serde.serializer().serialize('t', s))).toEqual(s);
  });
});

describe('StockPerformance', () => {
  /** Brute force: the differential of sample i against the mean of samples i-20..i-1. */
  function model(prices: number[]): number[] {
    return prices.map((p, i) => {
      if (i < STOCK_PERFORMANCE_LOOKBACK) return 0;
      const prev = prices.slice(i - STOCK_PERFORMANCE_LOOKBACK, i);
      return p / (prev.reduce((s, v) => s + v, 0) / prev.length) - 1;
    });
  }

  it('compares each sample with the average of the 20 before it', () => {
    const prices = Array.from({ length: 60 }, (_, i) => 10 + Math.sin(i / 3) + i * 0.05);
    const expected = model(prices);
    let p = emptyStockPerformance();
    prices.forEach((price, i) => {
      p = updateStockPerformance(p, price, 100 + i, i);
      expect(p.priceDifferential).toBeCloseTo(expected[i]!, 12);
      expect(p.samples).toBe(i + 1);
      expect(p.sharePriceLookback.length).toBe(Math.min(i + 1, STOCK_PERFORMANCE_LOOKBACK));
    });
    expect(p.currentAveragePrice).toBeCloseTo(prices.slice(-20).reduce((s, v) => s + v, 0) / 20, 12);
  });

  it('crosses the threshold up or down, never before 20 samples', () => {
    let p = emptyStockPerformance();
    for (let i = 0; i < 20; i++) p = updateStockPerformance(p, 100, 10, 0);
    expect(exceedsDifferential(p, 0.02)).toBe(false);
    expect(exceedsDifferential(updateStockPerformance(p, 102, 10, 0), 0.02)).toBe(true);
    expect(exceedsDifferential(updateStockPerformance(p, 98, 10, 0), 0.02)).toBe(true);
    expect(exceedsDifferential(updateStockPerformance(p, 101.9, 10, 0), 0.02)).toBe(false);
    expect(exceedsDifferential(updateStockPerformance(p, 100, 11, 0), 0.02)).toBe(true);
    let early = emptyStockPerformance();
    for (let i = 0; i < 19; i++) early = updateStockPerformance(early, i === 18 ? 500 : 100, 10, 0);
    expect(exceedsDifferential(early, 0.02)).toBe(false);
  });

  it('round-trips through its serde', () => {
    let p = emptyStockPerformance();
    for (let i = 0; i < 25; i++) p = updateStockPerformance(p, 10 + i, 100, START);
    const serde = GmartSerdes.StockPerformance();
    expect(serde.deserializer().deserialize('t', serde.serializer().serialize('t', p))).toEqual(p);
  });
});

describe('StockGenerator', () => {
  it('is reproducible from its seed', () => {
    const a = new StockGenerator({ seed: 9, clients: 20, startTime: START });
    const b = new StockGenerator({ seed: 9, clients: 20, startTime: START });
    expect(a.clients()).toEqual(b.clients());
    for (let i = 0; i < 500; i++) expect(a.nextTransaction()).toEqual(b.nextTransaction());
    expect(new StockGenerator({ seed: 10, startTime: START }).nextTransaction()).not.toEqual(
      new StockGenerator({ seed: 9, startTime: START }).nextTransaction(),
    );
  });

  it('trades only the companies it publishes, by its clients, in event-time order', () => {
    const g = new StockGenerator({ seed: 1, clients: 30, startTime: START, intervalMs: 10 });
    const companies = new Map(g.companies().map((c) => [c.symbol, c]));
    const clients = new Set(g.clients().map((c) => c.customerId));
    expect(clients.size).toBe(30);
    let last = 0;
    for (let i = 0; i < 3000; i++) {
      const t = g.nextTransaction();
      expect(companies.get(t.symbol)?.industry).toBe(t.industry);
      expect(clients.has(t.customerId)).toBe(true);
      expect(t.transactionTimestamp).toBeGreaterThanOrEqual(last);
      last = t.transactionTimestamp;
    }
    expect(last).toBe(START + 2999 * 10);
  });

  it('moves prices enough that most symbols cross the 2% differential', () => {
    const g = new StockGenerator({ seed: 1, startTime: START });
    const perf = new Map<string, ReturnType<typeof emptyStockPerformance>>();
    const crossed = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const t = g.nextTransaction();
      const p = updateStockPerformance(
        perf.get(t.symbol) ?? emptyStockPerformance(),
        t.sharePrice,
        t.shares,
        0,
      );
      perf.set(t.symbol, p);
      if (Math.abs(p.priceDifferential) >= 0.02) crossed.add(t.symbol);
    }
    expect(crossed.size).toBeGreaterThanOrEqual(Math.ceil(perf.size * 0.75));
    expect(g.ticker('XRX').price).toBe(perf.get('XRX')!.currentPrice);
  });
});
