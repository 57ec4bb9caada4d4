import type { BenchMessage } from './raw-clients';

/** A purchase of the benchmarks' records (333 bytes of JSON). */
export interface BenchPurchase {
  id: number;
  customerId: string;
  creditCardNumber: string;
  itemPurchased: string;
  quantity: number;
  price: number;
  zipCode: string;
  note: string;
}

/** Record `i`: a 333-byte JSON purchase keyed by its customer (1,000 customers). */
export function purchaseRecord(i: number): BenchMessage {
  const p: BenchPurchase = {
    id: i,
    customerId: `cust-${i % 1000}`,
    creditCardNumber: '4111-1111-1111-1111',
    itemPurchased: 'coffee-beans',
    quantity: (i % 5) + 1,
    price: (i % 100) + 0.99,
    zipCode: '10001',
    note: '',
  };
  p.note = 'x'.repeat(Math.max(0, 333 - Buffer.byteLength(JSON.stringify(p))));
  return { key: Buffer.from(p.customerId), value: Buffer.from(JSON.stringify(p)) };
}

/** The masking service's work on a purchase: all but the last four card digits hidden. */
export function maskPurchase(p: BenchPurchase): BenchPurchase {
  return { ...p, creditCardNumber: 'xxxx-xxxx-xxxx-' + p.creditCardNumber.slice(-4) };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
