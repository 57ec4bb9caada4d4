import { TestOutputTopic } from '../../src/testing';

export { seededRandom } from '../helpers/seeded-random';

/** An integer in `[0, n)`. */
export function pick(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** The output records as `[key, value, timestamp]` triples. */
export function triples<K, V>(out: TestOutputTopic<K, V>): Array<[K | null, V | null, number]> {
  return out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);
}
