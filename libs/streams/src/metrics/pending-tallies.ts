import type { Counter, Histogram } from 'prom-client';

/**
 * Counts and observations kept in plain maps on a hot path (one per record) and added to their
 * prom-client metrics in bulk whenever the metrics are collected (a scrape, `registry.metrics()`,
 * `metric.get()`): each collection sees every count and observation made before it, as if each
 * had been recorded at once, at a fraction of prom-client's per-call cost (a label hash and a
 * string per call).
 *
 * A metric is tallied for when it was created with {@link collectPendingTallies} as its `collect`.
 */
export class PendingTallies<L extends string> {
  /** Pending increments per label key. */
  private readonly counts = new Map<string, { labels: Partial<Record<L, string>>; n: number }>();
  /** Pending observations per label key: value -> how many times it was observed. */
  private readonly observations = new Map<
    string,
    { labels: Partial<Record<L, string>>; values: Map<number, number> }
  >();

  constructor(
    private readonly counter: Counter<L> | undefined,
    private readonly histogram: Histogram<L> | undefined,
  ) {
    if (counter) sourcesOf(counter).add(this);
    if (histogram) sourcesOf(histogram).add(this);
  }

  /** Adds `n` to the counter's series `labels` (of which `key` is a unique name). */
  count(key: string, labels: Partial<Record<L, string>>, n = 1): void {
    const c = this.counts.get(key);
    if (c) c.n += n;
    else this.counts.set(key, { labels, n });
  }

  /**
   * The pending count of the counter's series `labels` (of which `key` is a unique name), for a
   * caller that keeps it per series and adds to its `n` directly: what {@link count} adds to,
   * without a map lookup per call. It stays valid across flushes (a flush adds its `n` to the
   * counter and sets it to 0).
   */
  countSlot(key: string, labels: Partial<Record<L, string>>): { n: number } {
    let c = this.counts.get(key);
    if (!c) {
      c = { labels, n: 0 };
      this.counts.set(key, c);
    }
    return c;
  }

  /** Observes `value` `times` times (default once) in the histogram's series `labels` (of which `key` is a unique name). */
  observe(key: string, labels: Partial<Record<L, string>>, value: number, times = 1): void {
    let o = this.observations.get(key);
    if (!o) {
      o = { labels, values: new Map() };
      this.observations.set(key, o);
    }
    o.values.set(value, (o.values.get(value) ?? 0) + times);
  }

  /** Adds what is pending to the metrics and forgets it (a held count is set to 0). */
  flush(): void {
    if (this.counter) {
      // Entries are kept at 0, not dropped: a caller may hold one (countSlot). There are as many as
      // the counter has series from this source.
      for (const c of this.counts.values())
        if (c.n > 0) {
          this.counter.inc(c.labels, c.n);
          c.n = 0;
        }
    }
    if (this.histogram) {
      for (const { labels, values } of this.observations.values())
        for (const [value, times] of values) observeMany(this.histogram, labels, value, times);
      this.observations.clear();
    }
  }
}

type AnyMetric = Counter<string> | Histogram<string>;
const sources = new WeakMap<AnyMetric, Set<PendingTallies<string>>>();

function sourcesOf(metric: AnyMetric): Set<PendingTallies<string>> {
  let s = sources.get(metric);
  if (!s) {
    s = new Set();
    sources.set(metric, s);
  }
  return s;
}

/**
 * The `collect` of a metric fed through {@link PendingTallies}: adds every pending count and
 * observation to it (prom-client calls it with the metric as `this` before each collection).
 */
export function collectPendingTallies(this: AnyMetric): void {
  const s = sources.get(this);
  if (s) for (const t of s) t.flush();
}

/** prom-client 15's histogram series: cumulative only on export, per-bucket counts inside. */
interface HistogramSeries {
  labels: object;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/**
 * `times` observations of `value` in one step: the histogram's series gets `times` added to its
 * count and to the value's bucket and `value * times` added to its sum, exactly what as many
 * `observe` calls add. Relies on prom-client 15's series layout (checked by
 * `test/metrics/pending-tallies.test.ts` against plain `observe` calls); a layout it does not
 * recognise falls back to `observe` calls.
 *
 * Why not a public API: prom-client 15's `Histogram` observes one value per call (`observe`,
 * `labels().observe`, `startTimer`; `zero`, `reset`, `remove` only create or drop series), and each
 * call hashes the labels and finds the bucket (about 1 us). Calling `observe` `times` times at
 * collection would cost what one call per acknowledged record cost on the hot path (the ~4% per
 * service the tallies removed), only later; a histogram of our own instead of prom-client's would
 * replace the metric type every registry and dashboard reads.
 */
function observeMany(h: Histogram<string>, labels: object, value: number, times: number): void {
  if (times === 1) {
    h.observe(labels, value);
    return;
  }
  // One observe creates the series (and validates the labels and value) as prom-client does.
  h.observe(labels, value);
  // Internals: prom-client 15.1.3 (latest) has no public n-at-once observe (asked in prometheus/client_js#514).
  const internal = h as unknown as {
    hashMap?: Record<string, HistogramSeries>;
    upperBounds?: number[];
  };
  const series =
    internal.hashMap && Object.values(internal.hashMap).find((s) => sameLabels(s.labels, labels));
  const bounds = internal.upperBounds;
  if (!series || !bounds || typeof series.sum !== 'number' || typeof series.bucketValues !== 'object') {
    for (let i = 1; i < times; i++) h.observe(labels, value);
    return;
  }
  const rest = times - 1;
  series.sum += value * rest;
  series.count += rest;
  const bound = bounds.find((b) => value <= b);
  if (bound !== undefined && Object.prototype.hasOwnProperty.call(series.bucketValues, bound))
    series.bucketValues[bound] += rest;
}

function sameLabels(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka)
    if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}
