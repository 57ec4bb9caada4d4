import { javaHashSetOrder, javaStringHash } from '../../src/processor/internals/describe-order';

describe('Java ordering behind describe()', () => {
  it('String.hashCode as Java computes it (values from the JDK)', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('abc')).toBe(96354);
    expect(javaStringHash('hello')).toBe(99162322);
    // Wraps around to a negative int, as Java's does.
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
  });

  it('HashSet iteration: by bucket of the spread hash, then insertion order', () => {
    // A brute-force model: Java's bucket index for the default capacity of 16.
    const names = ['d', 'a', 'c', 'b', 'q', 'Aa', 'BB'];
    const bucket = (s: string) => {
      let h = 0;
      for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) % 2 ** 32;
      h = h | 0;
      return (h ^ (h >>> 16)) & 15;
    };
    const expected = names
      .map((n, i) => [n, i] as const)
      .sort((x, y) => bucket(x[0]) - bucket(y[0]) || x[1] - y[1])
      .map(([n]) => n);
    expect(javaHashSetOrder(names)).toEqual(expected);
    // "Aa" and "BB" have the same hash code: insertion order decides.
    expect(javaHashSetOrder(['BB', 'Aa']).slice()).toEqual(['BB', 'Aa']);
    expect(javaHashSetOrder(['Aa', 'BB']).slice()).toEqual(['Aa', 'BB']);
  });
});
