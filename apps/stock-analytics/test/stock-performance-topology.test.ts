import {
  GmartSerdes,
  STOCK_PERFORMANCE_LOOKBACK,
  StockGenerator,
  type StockPerformance,
  type StockTransaction,
} from '@gmart/gmart';
import { Serdes } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { STOCK_PERFORMANCE_STORE, buildStockPerformanceTopology } from '../src';

const START = Date.parse('2026-03-02T14:30:00.000Z');
const S = Serdes.String();

/** Brute force: every sample per symbol; a symbol is forwarded when its last sample is >= 2% off the mean of the 20 before it. */
class PerformanceModel {
  private readonly samples = new Map<string, { price: number; shares: number }[]>();

  add(t: StockTransaction): void {
    const list = this.samples.get(t.symbol) ?? [];
    list.push({ price: t.sharePrice, shares: t.shares });
    this.samples.set(t.symbol, list);
  }

  /** Symbols the punctuator must forward now, in key order, with their last-sample differentials. */
  expected(threshold: number): { symbol: string; price: number; volume: number }[] {
    const out: { symbol: string; price: number; volume: number }[] = [];
    for (const [symbol, list] of this.samples) {
      if (list.length <= STOCK_PERFORMANCE_LOOKBACK) continue;
      const prev = list.slice(-STOCK_PERFORMANCE_LOOKBACK - 1, -1);
      const last = list[list.length - 1]!;
      const avg = (f: (s: { price: number; shares: number }) => number) =>
        prev.reduce((s, v) => s + f(v), 0) / prev.length;
      const price = last.price / avg((s) => s.price) - 1;
      const volume = last.shares / avg((s) => s.shares) - 1;
      if (Math.abs(price) >= threshold || Math.abs(volume) >= threshold) out.push({ symbol, price, volume });
    }
    return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  count(symbol: string): number {
    return this.samples.get(symbol)?.length ?? 0;
  }
}

async function driverFor(threshold = 0.02) {
  const topology = buildStockPerformanceTopology({
    inputTopic: 'stock-transactions',
    outputTopic: 'stock-performance',
    differentialThreshold: threshold,
  });
  const driver = await TopologyTestDriver.create(topology, { initialWallClockTimeMs: START });
  return {
    topology,
    driver,
    input: driver.createInputTopic('stock-transactions', S, GmartSerdes.StockTransaction()),
    output: driver.createOutputTopic('stock-performance', S, GmartSerdes.StockPerformance()),
  };
}

describe('stock performance (Processor API, wall-clock punctuator)', () => {
  it('is the seed topology: source -> processor with its store -> sink', async () => {
    const { topology, driver } = await driverFor();
    const text = topology.describe().toString();
    expect(text).toMatch(/Source: stocks-source \(topics: \[stock-transactions\]\)/);
    expect(text).toMatch(/Processor: stocks-processor \(stores: \[stock-performance-store\]\)/);
    expect(text).toMatch(/Sink: stocks-sink \(topic: stock-performance\)/);
    driver.close();
  });

  it('forwards, every 10 s of wall-clock time, exactly the symbols the brute-force model says', async () => {
    const { driver, input, output } = await driverFor();
    const model = new PerformanceModel();
    const generator = new StockGenerator({ seed: 11, clients: 20, startTime: START, intervalMs: 50 });
    let punctuations = 0;
    let forwardedTotal = 0;
    for (let round = 0; round < 20; round++) {
      const n = 30 + ((round * 37) % 50);
      for (let i = 0; i < n; i++) {
        const t = generator.nextTransaction();
        model.add(t);
        input.pipeInput(t.symbol, t, t.transactionTimestamp);
      }
      // Less than the interval: nothing is forwarded.
      driver.advanceWallClockTime(4_000);
      expect(output.isEmpty()).toBe(true);
      driver.advanceWallClockTime(6_000);
      punctuations++;
      const got = output.readRecordsToList();
      const expected = model.expected(0.02);
      expect(got.map((r) => r.key)).toEqual(expected.map((e) => e.symbol));
      got.forEach((r, i) => {
        const value = r.value as StockPerformance;
        expect(value.priceDifferential).toBeCloseTo(expected[i]!.price, 9);
        expect(value.shareDifferential).toBeCloseTo(expected[i]!.volume, 9);
        expect(value.samples).toBe(model.count(r.key as string));
        expect(value.samples).toBeGreaterThan(STOCK_PERFORMANCE_LOOKBACK);
        expect(r.timestamp).toBe(driver.wallClockTimeMs());
      });
      forwardedTotal += got.length;
    }
    expect(punctuations).toBe(20);
    // The generator's trends make the threshold trigger, and not for every symbol every time.
    expect(forwardedTotal).toBeGreaterThan(20);
    expect(forwardedTotal).toBeLessThan(20 * 24);
    const store = driver.getKeyValueStore<string, StockPerformance>(STOCK_PERFORMANCE_STORE)!;
    expect(store.get('XRX')?.samples).toBe(model.count('XRX'));
    expect(store.get('XRX')?.lastUpdateSent).toBeGreaterThanOrEqual(START);
    driver.close();
  });

  it('never forwards a symbol with 20 samples or fewer, however far it moves', async () => {
    const { driver, input, output } = await driverFor();
    const t = (price: number, shares: number): StockTransaction => ({
      symbol: 'ACME',
      sector: 's',
      industry: 'i',
      shares,
      sharePrice: price,
      customerId: 'C-1',
      transactionTimestamp: START,
      purchase: true,
    });
    for (let i = 0; i < 20; i++) input.pipeInput('ACME', t(i % 2 ? 10 : 50, i % 2 ? 1 : 900), START);
    driver.advanceWallClockTime(10_000);
    expect(output.isEmpty()).toBe(true);
    input.pipeInput('ACME', t(100, 450), START); // the 21st sample: 233% above the average of 30
    driver.advanceWallClockTime(10_000);
    expect(output.readKeyValuesToList().map((kv) => kv.key)).toEqual(['ACME']);
    // Still over the threshold at the next punctuation: forwarded again (the seed does not reset).
    driver.advanceWallClockTime(10_000);
    expect(output.readKeyValuesToList().map((kv) => kv.key)).toEqual(['ACME']);
    driver.close();
  });

  it('uses the configured threshold', async () => {
    const { driver, input, output } = await driverFor(0.5);
    const model = new PerformanceModel();
    const generator = new StockGenerator({ seed: 4, startTime: START });
    for (let i = 0; i < 1200; i++) {
      const tx = generator.nextTransaction();
      model.add(tx);
      input.pipeInput(tx.symbol, tx, tx.transactionTimestamp);
    }
    driver.advanceWallClockTime(10_000);
    expect(output.readKeyValuesToList().map((kv) => kv.key)).toEqual(
      model.expected(0.5).map((e) => e.symbol),
    );
    driver.close();
  });
});
