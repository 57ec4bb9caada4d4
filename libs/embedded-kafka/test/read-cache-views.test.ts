import { ReadCacheBudget } from '../src/log/read-cache-budget';
import { SegmentReadCache, VIEW_MIN_BYTES } from '../src/log/segment-read-cache';
import { seededRandom as rng } from './helpers/seeded-random';

/** A "Produce frame": one fresh buffer holding `sizes.length` batches back to back, returned as views. */
function frame(sizes: readonly number[], random: () => number): Buffer[] {
  const buf = Buffer.allocUnsafeSlow(sizes.reduce((a, b) => a + b + 16, 0));
  for (let k = 0; k < buf.length; k += 61) buf[k] = Math.floor(random() * 256);
  const out: Buffer[] = [];
  let at = 0;
  for (const s of sizes) {
    at += 16;
    out.push(buf.subarray(at, at + s));
    at += s;
  }
  return out;
}

describe('SegmentReadCache keeping views of handed-over buffers', () => {
  it('keeps a large owned append as a view counted at its backing store, and copies the rest', () => {
    const random = rng(3);
    const cache = new SegmentReadCache(1024 * 1024);
    const [a, b] = frame([VIEW_MIN_BYTES, VIEW_MIN_BYTES * 2], random);
    cache.append(0, a!, true);
    const got = cache.read(0, a!.length)!;
    expect(got).toHaveLength(1);
    expect(got[0]!.buffer).toBe(a!.buffer); // no copy
    expect(cache.retainedBytes).toBe(a!.buffer.byteLength);
    // Not owned: copied, so the caller may reuse its buffer.
    const expected = Buffer.from(b!);
    cache.append(a!.length, b!, false);
    b!.fill(0);
    expect(Buffer.concat(cache.read(a!.length, expected.length)!).equals(expected)).toBe(true);
    // Owned but small: copied into a block of the cache.
    const [small] = frame([VIEW_MIN_BYTES - 1], random);
    const smallCopy = Buffer.from(small!);
    cache.append(a!.length + expected.length, small!, true);
    small!.fill(0);
    expect(Buffer.concat(cache.read(a!.length + expected.length, smallCopy.length)!).equals(smallCopy)).toBe(
      true,
    );
  });

  it('counts a backing store shared by several caches once in the budget, until the last view goes', () => {
    const random = rng(5);
    const budget = new ReadCacheBudget(10 * 1024 * 1024);
    const caches = [0, 1, 2].map(() => new SegmentReadCache(4 * 1024 * 1024, budget));
    const views = frame([VIEW_MIN_BYTES, VIEW_MIN_BYTES * 3, VIEW_MIN_BYTES * 2], random);
    const backing = views[0]!.buffer.byteLength;
    views.forEach((v, i) => caches[i]!.append(0, v, true));
    expect(budget.heldBytes).toBe(backing);
    for (const c of caches) expect(c.retainedBytes).toBe(backing);
    caches[0]!.clear();
    caches[1]!.clear();
    expect(budget.heldBytes).toBe(backing);
    expect(Buffer.concat(caches[2]!.read(0, views[2]!.length)!).equals(views[2]!)).toBe(true);
    caches[2]!.clear();
    expect(budget.heldBytes).toBe(0);
    expect(budget.cacheCount).toBe(0);
  });

  it('holds the budget over many caches of views and copies, and every hit reads back the log', () => {
    const budgetBytes = 512 * 1024;
    const budget = new ReadCacheBudget(budgetBytes);
    const random = rng(17);
    const caches = Array.from({ length: 40 }, () => new SegmentReadCache(128 * 1024, budget));
    // The model: each cache's log tail (more than it can hold) and its end.
    const KEEP = budgetBytes;
    const tails: Buffer[] = caches.map(() => Buffer.alloc(0));
    const ends = caches.map(() => 0);
    for (let op = 0; op < 2000; op++) {
      if (random() < 0.6) {
        // A frame with batches for a few caches, small and large, handed over (as Produce does).
        const parts = 1 + Math.floor(random() * 5);
        const targets = Array.from({ length: parts }, () => Math.floor(random() ** 2 * caches.length));
        const unique = [...new Set(targets)];
        const sizes = unique.map(() =>
          random() < 0.5
            ? 50 + Math.floor(random() * 3000)
            : VIEW_MIN_BYTES + Math.floor(random() * 48 * 1024),
        );
        const views = frame(sizes, random);
        unique.forEach((i, k) => {
          const data = views[k]!;
          caches[i]!.append(ends[i]!, data, true);
          const tail = Buffer.concat([tails[i]!, data]);
          tails[i] = tail.length > KEEP ? Buffer.from(tail.subarray(tail.length - KEEP)) : tail;
          ends[i]! += data.length;
        });
      } else {
        const i = Math.floor(random() * caches.length);
        const c = caches[i]!;
        if (c.isEmpty) continue;
        const tail = tails[i]!;
        const tailStart = ends[i]! - tail.length;
        expect(c.start + c.cachedBytes).toBe(ends[i]);
        expect(c.start).toBeGreaterThanOrEqual(tailStart);
        const from = c.start + Math.floor(random() * c.cachedBytes);
        const len = 1 + Math.floor(random() * (ends[i]! - from));
        const got = c.read(from, len);
        expect(got).toBeDefined();
        expect(Buffer.concat(got!).equals(tail.subarray(from - tailStart, from - tailStart + len))).toBe(
          true,
        );
      }
      expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
      for (const c of caches) expect(c.retainedBytes).toBeLessThanOrEqual(128 * 1024);
    }
    expect(budget.heldBytes).toBeGreaterThan(budgetBytes / 2);
    expect(budget.evictedBytes).toBeGreaterThan(0);
    for (const c of caches) c.clear();
    expect(budget.heldBytes).toBe(0);
    expect(budget.cacheCount).toBe(0);
  });
});
