import { getHeapStatistics, type GCProfiler } from 'node:v8';

/** Used bytes of one heap space in a GC profiler snapshot. */
function spaceUsed(
  snapshot: { heapSpaceStatistics: Array<{ spaceName: string; spaceUsedSize: number }> },
  space: string,
): number {
  return snapshot.heapSpaceStatistics.find((s) => s.spaceName === space)?.spaceUsedSize ?? 0;
}

/**
 * A run's garbage collections in load-independent figures (CPU time on a shared machine is not),
 * per record: the bytes allocated (the heap's growth between collections, summed), the bytes young
 * collections copied (what survived them: kept young or promoted; a scavenge's work follows them,
 * not the bytes allocated) and the count of young and full collections. `stats` is what a
 * `GCProfiler` started when `used_heap_size` was `usedAtStart` returned from `stop()`; `n` records.
 * The surviving bytes depend on where the collections fall between commits: compare builds with the
 * same settings over several runs.
 */
export function gcSummary(stats: ReturnType<GCProfiler['stop']>, usedAtStart: number, n: number): string {
  let young = 0;
  let full = 0;
  let allocated = 0;
  let survived = 0;
  let used = usedAtStart;
  for (const s of stats?.statistics ?? []) {
    if (s.gcType === 'Scavenge' || s.gcType === 'MinorMarkSweep') {
      young++;
      survived +=
        spaceUsed(s.afterGC, 'new_space') +
        Math.max(0, spaceUsed(s.afterGC, 'old_space') - spaceUsed(s.beforeGC, 'old_space'));
    } else if (s.gcType === 'MarkSweepCompact') full++;
    allocated += s.beforeGC.heapStatistics.usedHeapSize - used;
    used = s.afterGC.heapStatistics.usedHeapSize;
  }
  allocated += getHeapStatistics().used_heap_size - used;
  const kib = (bytes: number) => (bytes / n / 1024).toFixed(2);
  return `${kib(allocated)} KiB allocated, ${kib(survived)} KiB surviving young GCs, young GCs per 1000 ${((1000 * young) / n).toFixed(2)}, full GCs ${full}`;
}
