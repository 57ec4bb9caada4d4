/**
 * `npm run soak` (scripts/soak) for a short run: a quarter-minute warm-up and half a minute measured,
 * sampled every second. The table must have one row per process of the pipeline (broker, MongoDB,
 * six services, two generators) with the columns in order, its figures must be the medians and
 * maxima of the samples written by `--json` (recomputed here), the samples must come from live
 * processes (plausible, moving RSS and heap; lag from the broker while records flow), the embedded
 * stand-ins must show the data they hold by design (the broker's read cache and batch indexes from
 * its metrics, MongoDB's documents weighed by dropping them at the end) and their growth beyond it,
 * every process must be stopped afterwards, and the exit code must be 1 exactly when a row says FAIL.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '@gmart/test-support';
import { SOAK_COLUMNS, rowCells } from '../../scripts/soak/soak-table';
import { windowMs } from '../../scripts/soak/soak-verdict';
import { REPO_ROOT } from './support/paths';

jest.setTimeout(600_000);

interface JsonSample {
  t: number;
  rss?: number;
  rssAnon?: number;
  rssFile?: number;
  heap?: number;
  heapInUse?: number;
  heapCommitted?: number;
  external?: number;
  arrayBuffers?: number;
  youngGeneration?: number;
  lag?: number;
  data?: number;
  documents?: number;
}
interface JsonSeries {
  name: string;
  pid: number;
  heapSource: string;
  group?: string;
  exited: boolean;
  samples: JsonSample[];
  dataHeld?: { where: 'heap' | 'off-heap'; source: string; bytesPerDocument?: number };
}
interface JsonReport {
  warmupEndMs: number;
  endMs: number;
  series: JsonSeries[];
  mongoData?: { documents: number; heapWithData: number; heapWithoutData: number; bytesPerDocument: number };
}

const PROCESSES = [
  'broker',
  'mongo',
  'masking',
  'patterns',
  'rewards',
  'storage',
  'coupon-join',
  'stock-analytics',
  'generator',
  'stock-generator',
];
const SERVICES = PROCESSES.slice(2, 8);

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@gmart/source', '-r', '@swc-node/register', 'scripts/soak/index.ts', ...args],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
/** The index of a column of the printed table (soak-table's own header list). */
const col = (name: (typeof SOAK_COLUMNS)[number]) => SOAK_COLUMNS.indexOf(name);

describe('npm run soak', () => {
  it('rejects a bad --minutes with exit 2 before starting anything', async () => {
    for (const bad of [
      ['--minutes', '0'],
      ['--minutes', 'ten'],
      [],
      ['--minutes', '1', '--sample-seconds', '0.1'],
    ]) {
      const r = await run(bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--(minutes|sample-seconds)/);
      expect(r.stdout).toBe('');
    }
  });

  it('prints one row per process with figures from the live processes, exit 1 exactly on FAIL', async () => {
    const dir = tempDir('gmart-soak-test');
    const json = path.join(dir, 'soak.json');
    const r = await run([
      '--minutes',
      '0.5',
      '--warmup-minutes',
      '0.25',
      '--sample-seconds',
      '1',
      '--data-dir',
      path.join(dir, 'data'),
      '--json',
      json,
    ]);
    const context = `stdout:\n${r.stdout}\nstderr:\n${r.stderr.slice(-4000)}`;
    if (r.code !== 0 && r.code !== 1) throw new Error(`exit ${r.code}; ${context}`);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    const cells = lines.map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
    expect(cells[0]).toEqual([...SOAK_COLUMNS]);
    const rows = cells.slice(2);
    expect(rows.map((c) => c[0])).toEqual(PROCESSES);
    const anyFail = rows.some((c) => c[col('verdict')]!.startsWith('FAIL'));
    expect({ code: r.code, last: r.stdout.trim().split('\n').at(-1) }).toEqual({
      code: anyFail ? 1 : 0,
      last: anyFail ? 'soak: FAIL' : 'soak: PASS',
    });

    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonReport;
    const w = windowMs(report);
    expect(report.endMs - report.warmupEndMs).toBe(30_000);
    expect(new Set(report.series.map((s) => s.pid)).size).toBe(PROCESSES.length);
    for (const [i, s] of report.series.entries()) {
      const row = rows[i]!;
      expect(s.name).toBe(row[col('process')]);
      expect(String(s.pid)).toBe(row[col('pid')]);
      // Live processes: one sample a second, plausible and moving figures.
      expect(s.samples.length).toBeGreaterThanOrEqual(20);
      for (const x of s.samples) {
        expect(x.rss).toBeGreaterThan(20 * 1024 * 1024);
        expect(x.rss).toBeLessThan(4 * 1024 ** 3);
        // VmRSS = RssAnon + RssFile + RssShmem, each sampled from the same /proc read.
        expect(x.rssAnon).toBeGreaterThan(1024 * 1024);
        expect(x.rssFile).toBeGreaterThan(1024 * 1024);
        expect(x.rssAnon! + x.rssFile!).toBeLessThanOrEqual(x.rss!);
        // A loaded machine may leave a /metrics or IPC answer past its 3 s timeout: no heap figure then.
        if (x.heap !== undefined) {
          expect(x.heap).toBeGreaterThan(1024 * 1024);
          expect(x.heap).toBeLessThan(x.rss!);
        }
      }
      // The judged heap is the old generation after the last major GC (it moves only at major GCs);
      // the heap in use, garbage included, moves from sample to sample.
      const heaps = s.samples.map((x) => x.heap).filter((h): h is number => h !== undefined);
      expect(heaps.length).toBeGreaterThanOrEqual(s.samples.length * 0.8);
      const inUse = s.samples.map((x) => x.heapInUse).filter((h): h is number => h !== undefined);
      expect(inUse.length).toBeGreaterThanOrEqual(s.samples.length * 0.8);
      expect(new Set(inUse).size).toBeGreaterThan(1);
      // V8's committed heap: at least what is in use (garbage included), and part of the RSS.
      const committed = s.samples.filter((x) => x.heapCommitted !== undefined);
      expect(committed.length).toBeGreaterThanOrEqual(inUse.length * 0.8);
      for (const x of committed) {
        if (x.heapInUse !== undefined) expect(x.heapCommitted).toBeGreaterThanOrEqual(x.heapInUse);
        expect(x.heapCommitted).toBeLessThan(x.rss!);
      }
      expect(s.heapSource).toBe(
        SERVICES.includes(s.name)
          ? '/metrics gmart_heap_old_generation_after_major_gc_bytes'
          : 'IPC old generation after the last major GC',
      );
      // The table's figures are the medians of the two windows and the largest lag after warm-up.
      const first = s.samples.filter((x) => x.t >= report.warmupEndMs && x.t <= report.warmupEndMs + w);
      const last = s.samples.filter((x) => x.t >= report.endMs - w && x.t <= report.endMs);
      const rss0 = median(first.map((x) => x.rss!));
      const rss1 = median(last.map((x) => x.rss!));
      const part = (xs: JsonSample[], k: 'rssAnon' | 'rssFile') => median(xs.map((x) => x[k]!));
      const heap0 = median(first.flatMap((x) => (x.heap !== undefined ? [x.heap] : [])));
      const heap1 = median(last.flatMap((x) => (x.heap !== undefined ? [x.heap] : [])));
      const isService = SERVICES.includes(s.name);
      if (isService) expect(s.group).toBe(`gmart-${s.name}`);
      // The young generation's committed size (part of the RSS, not of the judged heap): services only.
      const young = s.samples.flatMap((x) => (x.youngGeneration !== undefined ? [x.youngGeneration] : []));
      if (isService) expect(young.length).toBeGreaterThanOrEqual(heaps.length * 0.8);
      else expect(young).toEqual([]);
      for (const y of young) expect(y).toBeGreaterThan(0);
      // A loaded machine may leave the broker's /metrics past its 3 s timeout: no lag figure then.
      const measured = s.samples.filter((x) => x.t >= report.warmupEndMs && x.t <= report.endMs);
      const lags = measured.flatMap((x) => (x.lag !== undefined ? [x.lag] : []));
      if (isService) {
        expect(lags.length).toBeGreaterThanOrEqual(measured.length * 0.8);
        expect(lags.every((l) => Number.isInteger(l) && l >= 0)).toBe(true);
      }
      // External memory (Buffers included): the probe's process.memoryUsage() or the services' /metrics.
      const defined = (xs: JsonSample[], f: (x: JsonSample) => number | undefined) =>
        xs.flatMap((x) => (f(x) !== undefined ? [f(x)!] : []));
      const ext0 = median(defined(first, (x) => x.external));
      const ext1 = median(defined(last, (x) => x.external));
      if (!isService)
        for (const x of s.samples)
          if (x.heap !== undefined) expect(x.arrayBuffers).toBeLessThanOrEqual(x.external!);
      // The stand-ins: the data they hold by design, and their growth beyond it.
      const standIn = s.name === 'broker' || s.name === 'mongo';
      let held = {};
      if (standIn) {
        expect(s.dataHeld?.where).toBe(s.name === 'broker' ? 'off-heap' : 'heap');
        if (s.name === 'mongo') {
          // Weighed by dropping its documents after the services stopped: with them the heap was larger.
          expect(report.mongoData!.documents).toBeGreaterThan(0);
          expect(report.mongoData!.heapWithData).toBeGreaterThan(report.mongoData!.heapWithoutData);
          for (const x of s.samples)
            if (x.documents !== undefined)
              expect(x.data).toBeCloseTo(x.documents * report.mongoData!.bytesPerDocument, 3);
        } else {
          // The broker's read cache and batch indexes, from its metrics.
          for (const x of s.samples) if (x.data !== undefined) expect(x.data).toBeGreaterThan(0);
        }
        const d0 = median(defined(first, (x) => x.data));
        const d1 = median(defined(last, (x) => x.data));
        held = {
          dataStart: d0,
          dataEnd: d1,
          rssBeyondDataPct: ((rss1 - rss0 - (d1 - d0)) / rss0) * 100,
          heapBeyondDataPct:
            s.name === 'mongo'
              ? ((heap1 - heap0 - (d1 - d0)) / heap0) * 100
              : ((heap1 - heap0) / heap0) * 100,
        };
      }
      // The figures recomputed here, printed by soak-table's own cell layout.
      const expected = rowCells({
        name: s.name,
        pid: s.pid,
        rssStart: rss0,
        rssEnd: rss1,
        rssGrowthPct: ((rss1 - rss0) / rss0) * 100,
        rssAnonStart: part(first, 'rssAnon'),
        rssAnonEnd: part(last, 'rssAnon'),
        rssFileStart: part(first, 'rssFile'),
        rssFileEnd: part(last, 'rssFile'),
        heapStart: heap0,
        heapEnd: heap1,
        heapGrowthPct: ((heap1 - heap0) / heap0) * 100,
        externalStart: ext0,
        externalEnd: ext1,
        ...held,
        ...(isService ? { maxLag: Math.max(...lags) } : {}),
        pass: true,
        reasons: [],
      });
      // The figure columns: RSS (and its anonymous and file-backed parts), heap and external at both ends
      // with their growth, data held and growth beyond it ('-' but for the stand-ins), then the largest lag.
      const figures = SOAK_COLUMNS.slice(col('RSS warm-up MiB'), col('max lag') + 1);
      expect(figures.map((f) => row[col(f)])).toEqual(figures.map((f) => expected[col(f)]));
      if (!isService) expect(row[col('end lag')]).toBe('-');
      // Stopped at the end.
      expect(() => process.kill(s.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }) as Error);
    }
    // Records flowed: the broker saw lag on the services' groups at some point.
    const lagSeen = report.series.flatMap((s) => s.samples.map((x) => x.lag ?? 0));
    expect(Math.max(...lagSeen)).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/soak: stopping the generators/);
  });
});
