/** One sample of one process, `t` in ms since the soak started. */
export interface Sample {
  readonly t: number;
  /** Resident set size (bytes); undefined when the process did not answer. */
  readonly rss?: number;
  /** Anonymous part of the RSS (`RssAnon`, bytes): heaps and buffers. */
  readonly rssAnon?: number;
  /** File-backed part of the RSS (`RssFile`, bytes): code and memory-mapped files (LMDB stores). */
  readonly rssFile?: number;
  /**
   * V8 heap (bytes) as judged: the old generation in use right after the process's last major GC
   * (services: `gmart_heap_old_generation_after_major_gc_bytes`; probed processes: the same figure
   * over IPC), so the verdict does not depend on where in its GC cycle a process was sampled.
   */
  readonly heap?: number;
  /** V8 heap in use when sampled, garbage included (`heapUsed`; not judged). */
  readonly heapInUse?: number;
  /**
   * V8 heap committed when sampled (`heapTotal`; services `nodejs_heap_size_total_bytes`; not judged):
   * the part of the RSS that V8's heap holds, garbage between major GCs and pages it keeps included.
   */
  readonly heapCommitted?: number;
  /** Memory outside the V8 heap held by JS objects (Buffers included; bytes): `process.memoryUsage().external`. */
  readonly external?: number;
  /** ArrayBuffers and Buffers (bytes), part of `external`; probed processes only. */
  readonly arrayBuffers?: number;
  /**
   * Committed size of V8's young generation (bytes; services only, prom-client's
   * `nodejs_heap_space_size_total_bytes{space="new"}`): part of the RSS outside the judged heap (not
   * judged). The services run with the deployed semi-space floor, so it stays at its full size; without
   * it V8 resizes it up to its `--max-semi-space-size` as it sees fit.
   */
  readonly youngGeneration?: number;
  /** Its consumer group's lag (records); services only. */
  readonly lag?: number;
  /** Bytes of data the process holds by design (embedded stand-ins only, see {@link DataHeld}). */
  readonly data?: number;
  /** Documents stored (MongoDB only): `data` is this times {@link DataHeld.bytesPerDocument}. */
  readonly documents?: number;
}

/**
 * What an embedded stand-in holds by design and where: the broker keeps its read cache and batch
 * indexes outside the V8 heap, the embedded MongoDB keeps every document in it. Growth of that data
 * is expected; the verdict of a stand-in is on its growth beyond it.
 */
export interface DataHeld {
  /** `off-heap`: data counts against RSS only; `heap`: against RSS and the V8 heap. */
  readonly where: 'heap' | 'off-heap';
  /** Where the figure comes from, for the report. */
  readonly source: string;
  /** MongoDB: heap bytes per stored document, measured by dropping the data at the end. */
  readonly bytesPerDocument?: number;
}

/** Everything sampled of one process. */
export interface ProcessSeries {
  readonly name: string;
  readonly pid: number;
  /** Where its heap figure comes from (`/metrics nodejs_heap_size_used_bytes`, `IPC process.memoryUsage()`). */
  readonly heapSource: string;
  /** Its consumer group, for services (lag is judged only for those). */
  readonly group?: string;
  /** True when it exited before the end of the soak. */
  readonly exited: boolean;
  readonly samples: readonly Sample[];
  /** For the embedded stand-ins: the data they hold by design (judged on growth beyond it). */
  readonly dataHeld?: DataHeld;
}

/** How {@link judge} compares. */
export interface Criteria {
  /** End of the warm-up (ms since start): the first window starts here. */
  readonly warmupEndMs: number;
  /** End of the measured period (ms since start): the last window ends here. */
  readonly endMs: number;
  readonly maxGrowthPct: number;
  readonly maxLag: number;
}

/** One row of the soak table. */
export interface SoakRow {
  readonly name: string;
  readonly pid: number;
  readonly rssStart?: number;
  readonly rssEnd?: number;
  readonly rssGrowthPct?: number;
  /** Medians of the RSS's anonymous and file-backed parts in the two windows (shown, not judged). */
  readonly rssAnonStart?: number;
  readonly rssAnonEnd?: number;
  readonly rssFileStart?: number;
  readonly rssFileEnd?: number;
  readonly heapStart?: number;
  readonly heapEnd?: number;
  readonly heapGrowthPct?: number;
  /** Medians of `external` (bytes) over the two windows. */
  readonly externalStart?: number;
  readonly externalEnd?: number;
  /** Stand-ins: medians of the data held by design over the two windows. */
  readonly dataStart?: number;
  readonly dataEnd?: number;
  /** Stand-ins: RSS growth less the data's growth, in percent of the first RSS. */
  readonly rssBeyondDataPct?: number;
  /** Stand-ins: heap growth less the data's growth when the data lives in the heap, in percent. */
  readonly heapBeyondDataPct?: number;
  /** Largest lag after the warm-up (services only). */
  readonly maxLag?: number;
  /** Median lag of the last window (services only). */
  readonly endLag?: number;
  readonly pass: boolean;
  /** Why it failed (empty when it passed). */
  readonly reasons: readonly string[];
}

/**
 * Length of the two windows whose medians are compared: a fifth of the measured period, at most
 * one minute (a single sample would compare two points of the GC's saw-tooth).
 */
export function windowMs(c: Pick<Criteria, 'warmupEndMs' | 'endMs'>): number {
  return Math.min(60_000, (c.endMs - c.warmupEndMs) / 5);
}

/** Median of the defined values, or undefined when there are none. */
export function median(values: readonly (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function growthPct(start: number | undefined, end: number | undefined): number | undefined {
  return start !== undefined && end !== undefined && start > 0 ? ((end - start) / start) * 100 : undefined;
}

/** Growth from `start` to `end` less `dataGrowth` (bytes), in percent of `start`. */
function beyondPct(
  start: number | undefined,
  end: number | undefined,
  dataGrowth: number | undefined,
): number | undefined {
  return start !== undefined && end !== undefined && dataGrowth !== undefined && start > 0
    ? ((end - start - dataGrowth) / start) * 100
    : undefined;
}

/**
 * The verdict of each process: the medians of RSS and heap over the first window after the warm-up
 * and over the last window, their growth, and for services the largest lag after the warm-up.
 * The RSS's anonymous and file-backed parts are reported (medians of the same windows) to tell a leak
 * from a growing memory map, but the verdict judges the whole RSS.
 * A process passes when both growths are at most `maxGrowthPct`, its lag (services) stayed at most
 * `maxLag`, it did not exit and every figure was sampled. An embedded stand-in (with
 * {@link ProcessSeries.dataHeld}) is judged instead on its growth beyond the data it holds by design:
 * RSS growth less the data's growth, and heap growth less it when the data lives in the heap (else
 * the heap growth itself), each at most `maxGrowthPct`.
 */
export function judge(series: readonly ProcessSeries[], c: Criteria): SoakRow[] {
  const w = windowMs(c);
  return series.map((s) => {
    const first = s.samples.filter((x) => x.t >= c.warmupEndMs && x.t <= c.warmupEndMs + w);
    const last = s.samples.filter((x) => x.t >= c.endMs - w && x.t <= c.endMs);
    const measured = s.samples.filter((x) => x.t >= c.warmupEndMs && x.t <= c.endMs);
    const rssStart = median(first.map((x) => x.rss));
    const rssEnd = median(last.map((x) => x.rss));
    const heapStart = median(first.map((x) => x.heap));
    const heapEnd = median(last.map((x) => x.heap));
    const rssGrowthPct = growthPct(rssStart, rssEnd);
    const heapGrowthPct = growthPct(heapStart, heapEnd);
    const externalStart = median(first.map((x) => x.external));
    const externalEnd = median(last.map((x) => x.external));
    const held = s.dataHeld;
    const dataStart = held ? median(first.map((x) => x.data)) : undefined;
    const dataEnd = held ? median(last.map((x) => x.data)) : undefined;
    const dataGrowth = dataStart !== undefined && dataEnd !== undefined ? dataEnd - dataStart : undefined;
    const rssBeyondDataPct = held ? beyondPct(rssStart, rssEnd, dataGrowth) : undefined;
    const heapBeyondDataPct = held
      ? held.where === 'heap'
        ? beyondPct(heapStart, heapEnd, dataGrowth)
        : heapGrowthPct
      : undefined;
    const lags = measured.map((x) => x.lag).filter((x): x is number => x !== undefined);
    const maxLag = s.group !== undefined && lags.length > 0 ? Math.max(...lags) : undefined;
    const endLag = s.group !== undefined ? median(last.map((x) => x.lag)) : undefined;
    const reasons: string[] = [];
    if (s.exited) reasons.push('exited during the soak');
    if (rssGrowthPct === undefined) reasons.push('RSS not sampled in both windows');
    else if (!held && rssGrowthPct > c.maxGrowthPct) reasons.push(`RSS grew ${rssGrowthPct.toFixed(1)}%`);
    if (heapGrowthPct === undefined) reasons.push('heap not sampled in both windows');
    else if (!held && heapGrowthPct > c.maxGrowthPct) reasons.push(`heap grew ${heapGrowthPct.toFixed(1)}%`);
    if (held) {
      if (dataGrowth === undefined) reasons.push('data held not sampled in both windows');
      if (rssBeyondDataPct !== undefined && rssBeyondDataPct > c.maxGrowthPct)
        reasons.push(`RSS grew ${rssBeyondDataPct.toFixed(1)}% beyond its data`);
      if (heapBeyondDataPct !== undefined && heapBeyondDataPct > c.maxGrowthPct)
        reasons.push(
          held.where === 'heap'
            ? `heap grew ${heapBeyondDataPct.toFixed(1)}% beyond its data`
            : `heap grew ${heapBeyondDataPct.toFixed(1)}%`,
        );
    }
    if (s.group !== undefined) {
      if (maxLag === undefined) reasons.push(`no lag figure for group ${s.group}`);
      else if (maxLag > c.maxLag) reasons.push(`lag reached ${maxLag} > ${c.maxLag}`);
    }
    return {
      name: s.name,
      pid: s.pid,
      rssStart,
      rssEnd,
      rssGrowthPct,
      rssAnonStart: median(first.map((x) => x.rssAnon)),
      rssAnonEnd: median(last.map((x) => x.rssAnon)),
      rssFileStart: median(first.map((x) => x.rssFile)),
      rssFileEnd: median(last.map((x) => x.rssFile)),
      heapStart,
      heapEnd,
      heapGrowthPct,
      externalStart,
      externalEnd,
      dataStart,
      dataEnd,
      rssBeyondDataPct,
      heapBeyondDataPct,
      maxLag,
      endLag,
      pass: reasons.length === 0,
      reasons,
    };
  });
}
