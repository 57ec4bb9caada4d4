/** A purchase of the benchmarks' records: 333 bytes of JSON. */
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

/** Bytes of a {@link benchPurchase} as JSON. */
export const BENCH_PURCHASE_BYTES = 333;

/** Purchase `i` of the benchmarks: one of 1,000 customers, padded by `note` to 333 bytes of JSON. */
export function benchPurchase(i: number): BenchPurchase {
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
  p.note = 'x'.repeat(Math.max(0, BENCH_PURCHASE_BYTES - Buffer.byteLength(JSON.stringify(p))));
  return p;
}
