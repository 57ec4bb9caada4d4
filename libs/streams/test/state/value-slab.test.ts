import { SLAB_MAX_VALUE_BYTES, ValueSlab } from '../../src/state/internals/value-slab';
import { seededRandom } from '../helpers/seeded-random';

/**
 * The slab against a model (handle -> bytes) as a table drives it: values added, replaced and
 * removed at random, a compaction whenever the slab asks for one before an add (every live handle
 * moved, as a table moves its map's), and every live value read back after each step.
 */
describe('ValueSlab', () => {
  it.each([1, 2, 3])(
    'holds every live value across adds, frees, growth and compactions (seed %i)',
    (seed) => {
      const rnd = seededRandom(seed);
      const slab = new ValueSlab();
      // key -> [handle, expected bytes]
      const live = new Map<number, [number, Buffer]>();
      let compactions = 0;
      for (let step = 0; step < 20_000; step++) {
        const key = Math.floor(rnd() * 300);
        const old = live.get(key);
        if (rnd() < 0.25) {
          if (old !== undefined) {
            slab.free(old[0]);
            live.delete(key);
          }
        } else {
          const n = rnd() < 0.05 ? Math.floor(rnd() * (SLAB_MAX_VALUE_BYTES + 1)) : Math.floor(rnd() * 24);
          const value = Buffer.alloc(n);
          for (let i = 0; i < n; i++) value[i] = Math.floor(rnd() * 256);
          expect(slab.fits(value)).toBe(true);
          if (slab.mustCompactFor(n)) {
            compactions++;
            const before = slab.liveBytes;
            slab.compact((move) => {
              for (const e of live.values()) e[0] = move(e[0]);
            });
            expect(slab.liveBytes).toBe(before);
            expect(slab.capacity).toBeGreaterThanOrEqual(2 * before);
          }
          const h = live.get(key)?.[0];
          if (h !== undefined) slab.free(h);
          live.set(key, [slab.add(value), Buffer.from(value)]);
        }
        if (step % 97 === 0 || step > 19_900)
          for (const [h, bytes] of live.values()) expect(slab.view(h).equals(bytes)).toBe(true);
      }
      let bytes = 0;
      for (const [, b] of live.values()) bytes += 2 + b.length;
      expect(slab.liveBytes).toBe(bytes);
      expect(compactions).toBeGreaterThan(3);
    },
  );

  it('does not take a value larger than its limit', () => {
    const slab = new ValueSlab();
    expect(slab.fits(Buffer.alloc(SLAB_MAX_VALUE_BYTES))).toBe(true);
    expect(slab.fits(Buffer.alloc(SLAB_MAX_VALUE_BYTES + 1))).toBe(false);
  });

  it('a view keeps its bytes when the slab grows or compacts', () => {
    const slab = new ValueSlab();
    const h = slab.add(Buffer.from('first'));
    const view = slab.view(h);
    for (let i = 0; i < 1000; i++) slab.add(Buffer.from(`value ${i}`));
    slab.free(h);
    slab.compact(() => undefined);
    expect(view.toString()).toBe('first');
  });
});
