import { GmartSerdes, type ShareVolume, type StockTransaction } from '@gmart/gmart';
import { Serdes, StreamsBuilder, Consumed } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import {
  FixedSizePriorityQueue,
  INDUSTRY_TOP_STORE,
  SHARE_VOLUME_STORE,
  addShareVolume,
  industryTopSerde,
  type IndustryTop,
} from '../src';

const S = Serdes.String();
const START = Date.parse('2026-03-02T14:30:00.000Z');

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Brute force: every symbol's total shares and latest industry; an industry's top 5 recomputed from scratch. */
class VolumeModel {
  readonly totals = new Map<string, { shares: number; industry: string }>();

  add(t: StockTransaction): ShareVolume {
    const prev = this.totals.get(t.symbol);
    const next = { shares: (prev?.shares ?? 0) + t.shares, industry: t.industry };
    this.totals.set(t.symbol, next);
    return { symbol: t.symbol, industry: t.industry, shares: next.shares };
  }

  top(industry: string): ShareVolume[] {
    return [...this.totals]
      .filter(([, v]) => v.industry === industry)
      .map(([symbol, v]) => ({ symbol, industry, shares: v.shares }))
      .sort((a, b) => b.shares - a.shares || a.symbol.localeCompare(b.symbol))
      .slice(0, 5);
  }
}

async function driver() {
  const builder = new StreamsBuilder();
  const transactions = builder.stream('stock-transactions', Consumed.with(S, GmartSerdes.StockTransaction()));
  addShareVolume(transactions, {
    SHARE_VOLUME: 'share-volume',
    STOCK_VOLUME_BY_INDUSTRY: 'stock-volume-by-industry',
  });
  const d = await TopologyTestDriver.create(builder.build(), { initialWallClockTimeMs: START });
  return {
    d,
    input: d.createInputTopic('stock-transactions', S, GmartSerdes.StockTransaction()),
    volumes: d.createOutputTopic('share-volume', S, GmartSerdes.ShareVolume()),
    tops: d.createOutputTopic('stock-volume-by-industry', S, industryTopSerde()),
  };
}

describe('share volume (reduce) and the top 5 by industry (KGroupedTable.aggregate with adder and subtractor)', () => {
  it('matches the brute-force model, with symbols moving between industries', async () => {
    const { d, input, volumes, tops } = await driver();
    const model = new VolumeModel();
    const rnd = lcg(3);
    const symbols = Array.from({ length: 16 }, (_, i) => `S${String(i).padStart(2, '0')}`);
    const industries = ['banks', 'retail', 'beverages', 'networking'];
    const industryOf = new Map(symbols.map((s, i) => [s, industries[i % industries.length]!]));
    const lastTop = new Map<string, ShareVolume[]>();
    for (let i = 0; i < 600; i++) {
      const symbol = symbols[Math.floor(rnd() * symbols.length)]!;
      // Now and then a symbol is reclassified: its next trade carries the new industry.
      if (rnd() < 0.05) industryOf.set(symbol, industries[Math.floor(rnd() * industries.length)]!);
      const t: StockTransaction = {
        symbol,
        sector: 's',
        industry: industryOf.get(symbol)!,
        shares: 1 + Math.floor(rnd() * 1000),
        sharePrice: 10,
        customerId: 'C-1',
        transactionTimestamp: START + i,
        purchase: true,
      };
      const before = model.totals.get(symbol)?.industry;
      const expectedVolume = model.add(t);
      input.pipeInput(symbol, t, START + i);
      // The reduce: one update per trade, the running sum.
      expect(volumes.readKeyValuesToList()).toEqual([{ key: symbol, value: expectedVolume }]);
      // The aggregate: the touched industries' updates; after them each equals the model.
      for (const kv of tops.readKeyValuesToList())
        lastTop.set(kv.key as string, (kv.value as IndustryTop).top);
      for (const industry of new Set([before, t.industry].filter((x): x is string => x !== undefined))) {
        expect({ industry, top: lastTop.get(industry) }).toEqual({ industry, top: model.top(industry) });
      }
    }
    // The stores hold the same.
    const volumeStore = d.getKeyValueStore<string, ShareVolume>(SHARE_VOLUME_STORE)!;
    const topStore = d.getKeyValueStore<string, FixedSizePriorityQueue>(INDUSTRY_TOP_STORE)!;
    for (const [symbol, v] of model.totals) expect(volumeStore.get(symbol)?.shares).toBe(v.shares);
    for (const industry of industries) expect(topStore.get(industry)?.top()).toEqual(model.top(industry));
    d.close();
  });

  it('empties an industry whose last symbol moves away', async () => {
    const { d, input, tops } = await driver();
    const t = (industry: string, shares: number): StockTransaction => ({
      symbol: 'XRX',
      sector: 's',
      industry,
      shares,
      sharePrice: 10,
      customerId: 'C-1',
      transactionTimestamp: START,
      purchase: true,
    });
    input.pipeInput('XRX', t('office equipment', 100), START);
    input.pipeInput('XRX', t('printing', 50), START + 1);
    const last = new Map<string, ShareVolume[]>();
    for (const kv of tops.readKeyValuesToList()) last.set(kv.key as string, (kv.value as IndustryTop).top);
    expect(last.get('office equipment')).toEqual([]);
    expect(last.get('printing')).toEqual([{ symbol: 'XRX', industry: 'printing', shares: 150 }]);
    d.close();
  });
});

describe('FixedSizePriorityQueue', () => {
  it('shows the top 5, and a removed entry lets the 6th back in', () => {
    let q = FixedSizePriorityQueue.empty();
    for (let i = 1; i <= 7; i++) q = q.add({ symbol: `S${i}`, industry: 'x', shares: i * 10 });
    expect(q.top().map((v) => v.symbol)).toEqual(['S7', 'S6', 'S5', 'S4', 'S3']);
    q = q.remove({ symbol: 'S6', industry: 'x', shares: 60 });
    expect(q.top().map((v) => v.symbol)).toEqual(['S7', 'S5', 'S4', 'S3', 'S2']);
    q = q.add({ symbol: 'S1', industry: 'x', shares: 1000 });
    expect(q.top().map((v) => v.symbol)).toEqual(['S1', 'S7', 'S5', 'S4', 'S3']);
  });
});
