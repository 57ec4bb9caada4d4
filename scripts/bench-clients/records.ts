import { benchPurchase, type BenchPurchase } from '@gmart/bench-support';
import type { BenchMessage } from './raw-clients';

/** Record `i`: the benchmarks' purchase `i` (333 bytes of JSON) keyed by its customer (1,000 customers). */
export function purchaseRecord(i: number): BenchMessage {
  const p = benchPurchase(i);
  return { key: Buffer.from(p.customerId), value: Buffer.from(JSON.stringify(p)) };
}

/** The masking service's work on a purchase: all but the last four card digits hidden. */
export function maskPurchase(p: BenchPurchase): BenchPurchase {
  return { ...p, creditCardNumber: 'xxxx-xxxx-xxxx-' + p.creditCardNumber.slice(-4) };
}
