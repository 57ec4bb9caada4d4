/**
 * The soak's verdict (scripts/soak/soak-verdict.ts) against a model written here: medians of the
 * first and last window after the warm-up (a fifth of the measured period, at most a minute),
 * growth in percent, largest lag after the warm-up; PASS only when every figure is within its limit.
 */
import { judge, type ProcessSeries, type Sample } from '../../scripts/soak/soak-verdict';

const MiB = 1024 * 1024;

/** Samples every second from 0 to `seconds`, values from the functions of t (seconds). */
function series(
  name: string,
  seconds: number,
  rss: (t: number) => number,
  heap: (t: number) => number,
  lag?: (t: number) => number,
  extra: Partial<ProcessSeries> = {},
): ProcessSeries {
  const samples: Sample[] = [];
  for (let t = 0; t <= seconds; t++)
    samples.push({ t: t * 1000, rss: rss(t), heap: heap(t), ...(lag ? { lag: lag(t) } : {}) });
  return {
    name,
    pid: 1,
    heapSource: 'test',
    exited: false,
    samples,
    ...(lag ? { group: `g-${name}` } : {}),
    ...extra,
  };
}

/** The model: plain loops over the samples. */
function model(s: ProcessSeries, warmupEndMs: number, endMs: number, maxGrowthPct: number, maxLag: number) {
  const w = Math.min(60_000, (endMs - warmupEndMs) / 5);
  const med = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  const pick = (from: number, to: number, f: (x: Sample) => number | undefined) => {
    const out: number[] = [];
    for (const x of s.samples) if (x.t >= from && x.t <= to && f(x) !== undefined) out.push(f(x)!);
    return out;
  };
  const g = (f: (x: Sample) => number | undefined) => {
    const a = med(pick(warmupEndMs, warmupEndMs + w, f));
    const b = med(pick(endMs - w, endMs, f));
    return ((b - a) / a) * 100;
  };
  let maxSeen = -Infinity;
  for (const l of pick(warmupEndMs, endMs, (x) => x.lag)) if (l > maxSeen) maxSeen = l;
  const rssG = g((x) => x.rss);
  const heapG = g((x) => x.heap);
  const lagOk = s.group === undefined || maxSeen <= maxLag;
  if (s.dataHeld) {
    // A stand-in: growth less the growth of the data it holds by design.
    const grow = (f: (x: Sample) => number | undefined) =>
      med(pick(endMs - w, endMs, f)) - med(pick(warmupEndMs, warmupEndMs + w, f));
    const start = (f: (x: Sample) => number | undefined) => med(pick(warmupEndMs, warmupEndMs + w, f));
    const dataG = grow((x) => x.data);
    const rssBeyond = ((grow((x) => x.rss) - dataG) / start((x) => x.rss)) * 100;
    const heapBeyond =
      s.dataHeld.where === 'heap' ? ((grow((x) => x.heap) - dataG) / start((x) => x.heap)) * 100 : heapG;
    return {
      rssG,
      heapG,
      rssBeyond,
      heapBeyond,
      maxLag: s.group ? maxSeen : undefined,
      pass: rssBeyond <= maxGrowthPct && heapBeyond <= maxGrowthPct && lagOk && !s.exited,
    };
  }
  return {
    rssG,
    heapG,
    rssBeyond: undefined,
    heapBeyond: undefined,
    maxLag: s.group ? maxSeen : undefined,
    pass: rssG <= maxGrowthPct && heapG <= maxGrowthPct && lagOk && !s.exited,
  };
}

describe('soak verdict', () => {
  const criteria = { warmupEndMs: 60_000, endMs: 660_000, maxGrowthPct: 10, maxLag: 500 };

  it('passes flat memory and bounded lag, fails growth above 10%, unbounded lag and an exit, as the model does', () => {
    const all = [
      series(
        'flat',
        660,
        () => 200 * MiB,
        () => 60 * MiB,
        (t) => (t * 7) % 300,
      ),
      // GC saw-tooth: single points differ by 40%, the window medians do not.
      series(
        'saw',
        660,
        () => 200 * MiB,
        (t) => (t % 10 < 5 ? 50 : 70) * MiB,
      ),
      series(
        'leak',
        660,
        (t) => (200 + t * 0.05) * MiB,
        () => 60 * MiB,
      ),
      series(
        'heap-leak',
        660,
        () => 200 * MiB,
        (t) => (60 + t * 0.02) * MiB,
      ),
      series(
        'slow',
        660,
        () => 200 * MiB,
        () => 60 * MiB,
        (t) => t * 2,
      ),
      series(
        'gone',
        660,
        () => 200 * MiB,
        () => 60 * MiB,
        undefined,
        { exited: true },
      ),
    ];
    const rows = judge(all, criteria);
    expect(rows.map((r) => [r.name, r.pass])).toEqual([
      ['flat', true],
      ['saw', true],
      ['leak', false],
      ['heap-leak', false],
      ['slow', false],
      ['gone', false],
    ]);
    for (const [i, s] of all.entries()) {
      const m = model(s, criteria.warmupEndMs, criteria.endMs, criteria.maxGrowthPct, criteria.maxLag);
      expect(rows[i]!.rssGrowthPct).toBeCloseTo(m.rssG, 9);
      expect(rows[i]!.heapGrowthPct).toBeCloseTo(m.heapG, 9);
      expect(rows[i]!.maxLag).toBe(m.maxLag);
      expect(rows[i]!.pass).toBe(m.pass);
    }
    expect(rows[2]!.reasons).toEqual([expect.stringMatching(/^RSS grew \d+\.\d%$/)]);
    expect(rows[3]!.reasons).toEqual([expect.stringMatching(/^heap grew \d+\.\d%$/)]);
    expect(rows[4]!.reasons).toEqual(['lag reached 1320 > 500']);
    expect(rows[5]!.reasons).toEqual(['exited during the soak']);
  });

  it('agrees with the model on random series', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      const base = 100 + rnd() * 200;
      const slope = (rnd() - 0.3) * 0.1;
      const noise = Array.from({ length: 700 }, () => rnd() * 20);
      const s = series(
        `r${n}`,
        300 + Math.floor(rnd() * 400),
        (t) => (base + t * slope + noise[t]!) * MiB,
        (t) => (base / 3 + t * slope + noise[699 - t]!) * MiB,
        rnd() < 0.5 ? (t) => Math.floor(noise[t]! * 30) : undefined,
      );
      const endMs = s.samples.at(-1)!.t;
      const c = { warmupEndMs: 30_000, endMs, maxGrowthPct: 10, maxLag: 450 };
      const [row] = judge([s], c);
      const m = model(s, c.warmupEndMs, c.endMs, c.maxGrowthPct, c.maxLag);
      expect(row!.rssGrowthPct).toBeCloseTo(m.rssG, 9);
      expect(row!.heapGrowthPct).toBeCloseTo(m.heapG, 9);
      expect(row!.maxLag).toBe(m.maxLag);
      expect(row!.pass).toBe(m.pass);
    }
  });

  it('judges an embedded stand-in on its growth beyond the data it holds by design, as the model does', () => {
    const withData = (s: ProcessSeries, data: (t: number) => number, where: 'heap' | 'off-heap') => ({
      ...s,
      samples: s.samples.map((x) => ({ ...x, data: data(x.t / 1000) })),
      dataHeld: { where, source: 'test' },
    });
    const all = [
      // MongoDB-like: the heap grows by exactly the documents it stores (40%), nothing else.
      withData(
        series(
          'mongo-data',
          660,
          (t) => (200 + t * 0.04) * MiB,
          (t) => (60 + t * 0.04) * MiB,
        ),
        (t) => t * 0.04 * MiB,
        'heap',
      ),
      // The same plus a leak of its own.
      withData(
        series(
          'mongo-leak',
          660,
          (t) => (200 + t * 0.06) * MiB,
          (t) => (60 + t * 0.06) * MiB,
        ),
        (t) => t * 0.04 * MiB,
        'heap',
      ),
      // Broker-like: off-heap data (read cache, batch indexes) explains the RSS growth.
      withData(
        series(
          'broker-data',
          660,
          (t) => (200 + t * 0.05) * MiB,
          () => 40 * MiB,
        ),
        (t) => 10 * MiB + t * 0.05 * MiB,
        'off-heap',
      ),
      // Off-heap data does not excuse heap growth.
      withData(
        series(
          'broker-heap',
          660,
          (t) => (200 + t * 0.05) * MiB,
          (t) => (40 + t * 0.02) * MiB,
        ),
        (t) => t * 0.05 * MiB,
        'off-heap',
      ),
    ];
    const rows = judge(all, criteria);
    expect(rows.map((r) => [r.name, r.pass])).toEqual([
      ['mongo-data', true],
      ['mongo-leak', false],
      ['broker-data', true],
      ['broker-heap', false],
    ]);
    for (const [i, s] of all.entries()) {
      const m = model(s, criteria.warmupEndMs, criteria.endMs, criteria.maxGrowthPct, criteria.maxLag);
      expect(rows[i]!.rssBeyondDataPct).toBeCloseTo(m.rssBeyond!, 9);
      expect(rows[i]!.heapBeyondDataPct).toBeCloseTo(m.heapBeyond!, 9);
      expect(rows[i]!.pass).toBe(m.pass);
    }
    expect(rows[0]!.heapGrowthPct).toBeGreaterThan(30); // plain growth is still shown
    // Its leak is 5% of its RSS but 16% of its heap.
    expect(rows[1]!.reasons).toEqual([expect.stringMatching(/^heap grew \d+\.\d% beyond its data$/)]);
    expect(rows[3]!.reasons).toEqual([expect.stringMatching(/^heap grew \d+\.\d%$/)]);
    // Without data figures a stand-in fails.
    const [none] = judge([{ ...all[0]!, samples: all[0]!.samples.map(({ data: _d, ...x }) => x) }], criteria);
    expect(none!.reasons).toEqual(['data held not sampled in both windows']);
    // Random stand-ins agree with the model.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      const dataSlope = rnd() * 0.08;
      const leak = (rnd() - 0.3) * 0.04;
      const noise = Array.from({ length: 700 }, () => rnd() * 10);
      const where = rnd() < 0.5 ? 'heap' : 'off-heap';
      const s = withData(
        series(
          `d${n}`,
          300 + Math.floor(rnd() * 400),
          (t) => (200 + t * (dataSlope + leak) + noise[t]!) * MiB,
          (t) => (60 + t * (where === 'heap' ? dataSlope + leak : leak) + noise[699 - t]!) * MiB,
        ),
        (t) => t * dataSlope * MiB,
        where,
      );
      const c = { warmupEndMs: 30_000, endMs: s.samples.at(-1)!.t, maxGrowthPct: 10, maxLag: 450 };
      const [row] = judge([s], c);
      const m = model(s, c.warmupEndMs, c.endMs, c.maxGrowthPct, c.maxLag);
      expect(row!.rssBeyondDataPct).toBeCloseTo(m.rssBeyond!, 9);
      expect(row!.heapBeyondDataPct).toBeCloseTo(m.heapBeyond!, 9);
      expect(row!.pass).toBe(m.pass);
    }
  });

  it('fails a process with no samples in a window or no lag figure', () => {
    const s = series(
      'late',
      100,
      () => 200 * MiB,
      () => 60 * MiB,
    );
    const [row] = judge([{ ...s, samples: s.samples.filter((x) => x.t > 50_000), group: 'g' }], {
      warmupEndMs: 10_000,
      endMs: 100_000,
      maxGrowthPct: 10,
      maxLag: 5,
    });
    expect(row!.pass).toBe(false);
    expect(row!.reasons).toEqual([
      'RSS not sampled in both windows',
      'heap not sampled in both windows',
      'no lag figure for group g',
    ]);
  });
});
