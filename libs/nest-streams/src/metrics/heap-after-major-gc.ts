import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/** V8 heap spaces of the young generation: emptied by every scavenge, whatever is live. */
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

/** Bytes in use in the V8 heap's old generation (every space but the young generation's) now. */
export function oldGenerationUsed(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (!YOUNG_SPACES.has(s.space_name)) used += s.space_used_size;
  return used;
}

/** What {@link observeHeapAfterMajorGc} reports. */
export interface HeapAfterMajorGc {
  /**
   * The old generation in use read right after the last major (mark-compact) GC: the live old objects
   * and the little garbage that GC kept (floating). `undefined` until the first major GC.
   */
  readonly bytes: number | undefined;
  /** Major GCs seen so far. */
  readonly majorGcs: number;
  /** Stops observing. */
  stop(): void;
}

/**
 * Observes V8's garbage collections (`perf_hooks` `gc` entries) and, after each major one, reads the
 * old generation in use. Unlike the heap in use at an arbitrary moment (prom-client's
 * `nodejs_heap_size_used_bytes`, `process.memoryUsage().heapUsed`), which includes whatever garbage
 * accumulated since the last collection and so moves with when it is sampled, this figure moves only
 * with what survives a full collection: it tells a heap that keeps more from one that was sampled
 * later in its GC cycle. The young generation is left out: the reading happens when the observer is
 * called (the next turn of the event loop after the GC), by when new objects may already fill it.
 */
export function observeHeapAfterMajorGc(): HeapAfterMajorGc {
  let bytes: number | undefined;
  let majorGcs = 0;
  const observer = new PerformanceObserver((list) => {
    let major = false;
    for (const e of list.getEntries()) if (isMajor(e)) major = true;
    if (!major) return;
    majorGcs++;
    bytes = oldGenerationUsed();
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    get bytes() {
      return bytes;
    },
    get majorGcs() {
      return majorGcs;
    },
    stop: () => observer.disconnect(),
  };
}

function isMajor(e: PerformanceEntry): boolean {
  const detail = (e as PerformanceEntry & { readonly detail?: { readonly kind?: number } }).detail;
  return detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}
