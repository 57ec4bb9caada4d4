import { BENCH_PURCHASE_BYTES, benchPurchase, median } from '../src';

describe('median', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even count, unsorted input', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('benchPurchase', () => {
  it('is 333 bytes of JSON, one of 1,000 customers, the same for the same index', () => {
    for (const i of [0, 7, 999, 1000, 123_456]) {
      const p = benchPurchase(i);
      expect(Buffer.byteLength(JSON.stringify(p))).toBe(BENCH_PURCHASE_BYTES);
      expect(p.customerId).toBe(`cust-${i % 1000}`);
      expect(p).toEqual(benchPurchase(i));
    }
  });
});
