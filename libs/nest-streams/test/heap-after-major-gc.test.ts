/**
 * The heap figure the services publish as `gmart_heap_old_generation_after_major_gc_bytes` (and the
 * soak judges): the old generation read after each major GC moves with what survives full
 * collections, and not with garbage piling up between them (which `heapUsed` counts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { observeHeapAfterMajorGc } from '../src/metrics/heap-after-major-gc';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** The observer is called on a later turn of the event loop than the GC. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  await new Promise<void>((r) => setTimeout(r, 20));
};
const MiB = 1024 * 1024;

/** About `mib` MiB of small objects in old space once they survive GCs. */
function objects(mib: number): Array<{ n: number; s: string }> {
  const out: Array<{ n: number; s: string }> = [];
  for (let i = 0; i < (mib * MiB) / 64; i++) out.push({ n: i, s: `value-${i}` });
  return out;
}

describe('observeHeapAfterMajorGc', () => {
  it('follows what survives major GCs, not the garbage made between them', async () => {
    const h = observeHeapAfterMajorGc();
    try {
      gc();
      await settle();
      const majors = h.majorGcs;
      expect(majors).toBeGreaterThanOrEqual(1);
      const base = h.bytes!;
      expect(base).toBeGreaterThan(MiB);

      let kept: unknown = objects(24);
      gc();
      await settle();
      const withKept = h.bytes!;
      expect(h.majorGcs).toBeGreaterThan(majors);
      expect(withKept - base).toBeGreaterThan(16 * MiB);

      // Garbage without a major GC: the heap in use grows, the figure stays where the last GC left it.
      const before = process.memoryUsage().heapUsed;
      const majorsBefore = h.majorGcs;
      let garbage = 0;
      for (let i = 0; i < 4; i++) garbage += objects(2).length;
      await settle();
      expect(garbage).toBeGreaterThan(0);
      if (h.majorGcs === majorsBefore) {
        expect(process.memoryUsage().heapUsed).toBeGreaterThan(before);
        expect(h.bytes).toBe(withKept);
      }

      // The kept objects dropped: the next major GC's figure falls back near the start.
      kept = undefined;
      expect(kept).toBeUndefined();
      gc();
      await settle();
      expect(h.bytes!).toBeLessThan(withKept - 16 * MiB);
    } finally {
      h.stop();
    }
  });
});
