import { TestOutputTopic } from '../../src/testing';

/** A seeded PRNG (mulberry32): every run draws the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in `[0, n)`. */
export function pick(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** The output records as `[key, value, timestamp]` triples. */
export function triples<K, V>(out: TestOutputTopic<K, V>): Array<[K | null, V | null, number]> {
  return out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);
}
