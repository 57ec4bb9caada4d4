import { GmartSerdes, StockGenerator } from '@gmart/gmart';

/** The stock benchmarks' input: `n` generated trades (seed 1) as keys, serialized values and timestamps. */
export interface BenchTrades {
  keys: Buffer[];
  values: Buffer[];
  times: number[];
}

/** `n` trades of the seeded generator, serialized as on `stock-transactions` (keyed by symbol). */
export function benchTrades(n: number): BenchTrades {
  const serde = GmartSerdes.StockTransaction().serializer();
  const generator = new StockGenerator({ seed: 1, startTime: Date.parse('2026-03-02T14:30:00.000Z') });
  const trades: BenchTrades = { keys: [], values: [], times: [] };
  for (let i = 0; i < n; i++) {
    const t = generator.nextTransaction();
    trades.keys.push(Buffer.from(t.symbol));
    trades.values.push(serde.serialize('stock-transactions', t)!);
    trades.times.push(t.transactionTimestamp);
  }
  return trades;
}
