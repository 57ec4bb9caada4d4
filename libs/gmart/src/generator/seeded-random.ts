import { GmartError } from '../errors/gmart-error';
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';

/**
 * A deterministic random source (xoroshiro128+ from `pure-rand`): the same seed gives the same
 * sequence on every machine and Node version.
 */
export class SeededRandom {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new GmartError(`seed must be an integer, got ${seed}`);
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** An integer in `[min, max]`, both included. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.rng);
  }

  /** A float in `[0, 1)` with 2^-30 resolution. */
  float(): number {
    return this.int(0, 0x3fffffff) / 0x40000000;
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new GmartError('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** One element, chosen with the given relative weights. */
  weighted<T>(items: readonly { readonly weight: number; readonly value: T }[]): T {
    const total = items.reduce((s, i) => s + i.weight, 0);
    let r = this.float() * total;
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item.value;
    }
    return items[items.length - 1]!.value;
  }

  /** A string of `n` random decimal digits. */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}
