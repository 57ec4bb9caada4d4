/**
 * The service end to end over the embedded broker: the stock generator CLI feeds a stock-analytics
 * process (scripts/local-stack); every output topic receives data, the HTTP queries answer with
 * what the stores must hold (counted from the seeded generator), the session counts leave enriched
 * with the generator's company and client names, the `npm start` live view shows the top industries,
 * the interceptors log positions only; then a `kill -9` and a restart on the same state directory: the
 * stores come back (the global tables bootstrap before processing resumes) and the counts resume exactly.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { STOCK_COMPANIES, StockGenerator, type TransactionSummary } from '@gmart/gmart';
import {
  LiveView,
  LocalStack,
  REPO_ROOT,
  TS_NODE_ARGS,
  parsePrometheusText,
  readTopic,
  renderFrame,
  serviceNamed,
  sumOf,
  waitForRecords,
} from '@gmart/test-support/local-stack';
import type { StockPerformanceView } from '../src';

jest.setTimeout(300_000);

const START = '2026-03-02T14:30:00.000Z';
const RATE = 2000;

function generate(brokers: string, seed: number, count: number, startTime: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      ...TS_NODE_ARGS,
      path.join(REPO_ROOT, 'libs/gmart/src/cli/generate-stocks.ts'),
      ...['--brokers', brokers, '--seed', String(seed), '--count', String(count), '--rate', String(RATE)],
      ...['--clients', '50', '--start-time', startTime],
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`generate:stocks exited ${code}: ${stderr}`)),
    ),
  );
}

/** Trades per symbol of the generator runs (the brute-force expectation of `samples`). */
function expectedSamples(runs: { seed: number; count: number; startTime: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of runs) {
    const g = new StockGenerator({
      seed: r.seed,
      clients: 50,
      startTime: Date.parse(r.startTime),
      intervalMs: 1000 / RATE,
    });
    for (let i = 0; i < r.count; i++) {
      const t = g.nextTransaction();
      out.set(t.symbol, (out.get(t.symbol) ?? 0) + 1);
    }
  }
  return out;
}

/** Shares and industry per symbol of the generator runs. */
function expectedVolumes(
  runs: { seed: number; count: number; startTime: string }[],
): Map<string, { shares: number; industry: string }> {
  const out = new Map<string, { shares: number; industry: string }>();
  for (const r of runs) {
    const g = new StockGenerator({
      seed: r.seed,
      clients: 50,
      startTime: Date.parse(r.startTime),
      intervalMs: 1000 / RATE,
    });
    for (let i = 0; i < r.count; i++) {
      const t = g.nextTransaction();
      out.set(t.symbol, { shares: (out.get(t.symbol)?.shares ?? 0) + t.shares, industry: t.industry });
    }
  }
  return out;
}

/** A customer's counts per window kind from the generator run (brute force of the seed's windows). */
function expectedCustomerCounts(run: { seed: number; count: number; startTime: string }, customerId: string) {
  const g = new StockGenerator({
    seed: run.seed,
    clients: 50,
    startTime: Date.parse(run.startTime),
    intervalMs: 1000 / RATE,
  });
  const trades: { symbol: string; ts: number }[] = [];
  for (let i = 0; i < run.count; i++) {
    const t = g.nextTransaction();
    if (t.customerId === customerId) trades.push({ symbol: t.symbol, ts: t.transactionTimestamp });
  }
  const sort = (xs: { stockTicker: string; windowStart: number; windowEnd: number; count: number }[]) =>
    xs.sort((a, b) => a.windowStart - b.windowStart || a.stockTicker.localeCompare(b.stockTicker));
  const symbols = [...new Set(trades.map((t) => t.symbol))];
  // The trades span less than the 20 s inactivity gap: one session per symbol.
  const session = symbols.map((symbol) => {
    const ts = trades.filter((t) => t.symbol === symbol).map((t) => t.ts);
    return {
      stockTicker: symbol,
      windowStart: Math.min(...ts),
      windowEnd: Math.max(...ts),
      count: ts.length,
    };
  });
  const windows = (size: number, advance: number) => {
    const counts = new Map<string, number>();
    for (const t of trades)
      for (let start = Math.floor(t.ts / advance) * advance; start > t.ts - size; start -= advance)
        counts.set(`${t.symbol}@${start}`, (counts.get(`${t.symbol}@${start}`) ?? 0) + 1);
    return [...counts].map(([k, count]) => {
      const [stockTicker, start] = k.split('@') as [string, string];
      return { stockTicker, windowStart: Number(start), windowEnd: Number(start) + size, count };
    });
  };
  return {
    customerId,
    session: sort(session),
    tumbling: sort(windows(20_000, 20_000)),
    hopping: sort(windows(20_000, 5_000)),
  };
}

/** The last `transaction-summaries` record of every key (one key's records share a partition, in order). */
async function summariesByKey(
  kafka: ReturnType<LocalStack['kafka']>,
): Promise<Map<string, TransactionSummary>> {
  const records = (await readTopic(kafka, 'transaction-summaries')).sort(
    (a, b) => a.partition - b.partition || a.offset - b.offset,
  );
  const out = new Map<string, TransactionSummary>();
  for (const r of records) out.set(r.key!.toString(), JSON.parse(r.value!.toString()) as TransactionSummary);
  return out;
}

/** Every `transaction-summaries` record, keyed and checked against the generator's reference data. */
async function summaryRecords(
  kafka: ReturnType<LocalStack['kafka']>,
): Promise<{ key: string; value: TransactionSummary }[]> {
  return (await readTopic(kafka, 'transaction-summaries')).map((r) => ({
    key: r.key!.toString(),
    value: JSON.parse(r.value!.toString()) as TransactionSummary,
  }));
}

async function samplesFrom(url: string, symbols: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of symbols) {
    const res = await fetch(`${url}/stocks/${s}/performance`);
    out.set(s, res.status === 200 ? ((await res.json()) as StockPerformanceView).samples : -res.status);
  }
  return out;
}

async function settled(
  url: string,
  expected: Map<string, number>,
  timeoutMs = 90_000,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let got = await samplesFrom(url, expected.keys());
  while (Date.now() < deadline && JSON.stringify([...got]) !== JSON.stringify([...expected])) {
    await new Promise((r) => setTimeout(r, 1000));
    got = await samplesFrom(url, expected.keys());
  }
  return got;
}

describe('stock-analytics end to end', () => {
  let dataDir: string;
  let stack: LocalStack | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-stock-e2e-'));
    stack = await LocalStack.start({
      kafkaPort: 0,
      dataDir,
      services: [serviceNamed('stock-analytics')],
      httpPorts: 'ephemeral',
      serviceEnv: {
        COMMIT_INTERVAL_MS: '500',
        PERFORMANCE_PUNCTUATE_MS: '1000',
        LOG_INTERCEPTORS: 'true',
        SHUTDOWN_TIMEOUT_MS: '20000',
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills every output topic, answers HTTP queries from its stores, and resumes exactly after kill -9', async () => {
    const kafka = stack!.kafka('stock-e2e');
    let service = stack!.instancesOf('stock-analytics')[0]!;
    const first = { seed: 21, count: 4000, startTime: START };
    // A malformed transaction goes to the dead-letter topic with its reason; the service keeps going.
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'stock-transactions',
      acks: -1,
      messages: [{ key: 'XRX', value: JSON.stringify({ symbol: 'XRX', shares: -3 }) }],
    });
    await producer.disconnect();
    await generate(stack!.brokers, first.seed, first.count, first.startTime);

    await waitForRecords(kafka, 'stock-performance', 1, 120_000);
    const expected1 = expectedSamples([first]);
    expect(expected1.size).toBe(STOCK_COMPANIES.length);
    expect(await settled(service.url!, expected1)).toEqual(expected1);

    const dead = await readTopic(kafka, 'gmart-stock-analytics-dlq');
    expect(dead).toHaveLength(1);
    expect(Object.values(dead[0]!.headers).map(String).join('\n')).toMatch(
      /StockTransaction on topic .*stock-transactions.* is invalid/,
    );

    // Share volume and the top 5 by industry: topics and HTTP answers equal the generator's totals.
    await waitForRecords(kafka, 'share-volume', 1, 60_000);
    await waitForRecords(kafka, 'stock-volume-by-industry', 1, 60_000);
    const volumes = expectedVolumes([first]);
    const volumeOf = async (symbol: string) => {
      const res = await fetch(`${service.url}/stocks/${symbol}/volume`);
      return res.status === 200 ? ((await res.json()) as { shares: number }).shares : -res.status;
    };
    const until = async (probe: () => Promise<boolean>) => {
      const end = Date.now() + 60_000;
      while (!(await probe()) && Date.now() < end) await new Promise((r) => setTimeout(r, 1000));
      return probe();
    };
    expect(
      await until(async () => {
        for (const [symbol, v] of volumes) if ((await volumeOf(symbol)) !== v.shares) return false;
        return true;
      }),
    ).toBe(true);
    // The top 5 of an industry is one more repartition away: polled until it is there.
    const wantRetail = [...volumes]
      .filter(([, v]) => v.industry === 'retail')
      .sort((a, b) => b[1].shares - a[1].shares || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([symbol, v]) => ({ symbol, shares: v.shares }));
    let retail: { symbol: string; shares: number }[] = [];
    expect(
      await until(async () => {
        const res = await fetch(`${service.url}/industries/retail/top`);
        if (res.status !== 200) return false;
        retail = ((await res.json()) as { top: { symbol: string; shares: number }[] }).top.map(
          ({ symbol, shares }) => ({ symbol, shares }),
        );
        return JSON.stringify(retail) === JSON.stringify(wantRetail);
      }),
    ).toBe(true);
    expect(retail).toEqual(wantRetail);
    expect((await fetch(`${service.url}/industries/nothing-here/top`)).status).toBe(404);
    // The `npm start` live view's stock section: the 3 industries whose top 5 symbols traded the most
    // shares, with their leading symbol (brute force from the generator's trades).
    const topFive = new Map<string, { symbol: string; shares: number }[]>();
    for (const [symbol, v] of volumes)
      topFive.set(v.industry, [...(topFive.get(v.industry) ?? []), { symbol, shares: v.shares }]);
    const wantIndustries = [...topFive]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([industry, xs]) => {
        const top = xs.sort((a, b) => b.shares - a.shares || a.symbol.localeCompare(b.symbol)).slice(0, 5);
        return { industry, shares: top.reduce((n, x) => n + x.shares, 0), leader: top[0]!.symbol };
      })
      .sort((a, b) => b.shares - a.shares)
      .slice(0, 3);
    expect(wantIndustries).toHaveLength(3);
    const frame = await new LiveView(kafka, () => stack!.instancesOf('stock-analytics')).sample();
    expect(frame.topIndustries).toEqual(wantIndustries);
    expect(renderFrame(frame)).toContain(
      `top industries by volume (top 5 symbols): ${wantIndustries.map((i) => `${i.industry} ${i.shares} (${i.leader} leads)`).join(' | ')}`,
    );

    // Customer transaction counts: the three topics fill, and the window/session stores answer
    // with the generator's counts.
    for (const kind of ['session', 'tumbling', 'hopping'])
      await waitForRecords(kafka, `transaction-counts-${kind}`, 1, 60_000);
    const wantCounts = expectedCustomerCounts(first, 'C-0007');
    expect(wantCounts.session.length).toBeGreaterThan(1);
    expect(wantCounts.hopping.length).toBe(4 * wantCounts.session.length);
    let gotCounts: unknown;
    expect(
      await until(async () => {
        const res = await fetch(`${service.url}/customers/C-0007/transaction-counts`);
        if (res.status !== 200) return false;
        const { session, tumbling, hopping } = (await res.json()) as typeof wantCounts;
        gotCounts = { customerId: 'C-0007', session, tumbling, hopping };
        return JSON.stringify(gotCounts) === JSON.stringify(wantCounts);
      }),
    ).toBe(true);
    expect(gotCounts).toEqual(wantCounts);
    // from/to select windows by start (sessions by overlap): the last hopping window only.
    const lastStart = Date.parse(START);
    const ranged = (await (
      await fetch(`${service.url}/customers/C-0007/transaction-counts?from=${START}&to=${lastStart + 1000}`)
    ).json()) as typeof wantCounts;
    expect(ranged.hopping).toEqual(wantCounts.hopping.filter((w) => w.windowStart === lastStart));
    expect(ranged.session).toEqual(wantCounts.session.filter((w) => w.windowStart <= lastStart + 1000));
    expect((await fetch(`${service.url}/customers/C-9999/transaction-counts`)).status).toBe(404);

    // The session counts enriched from the companies and clients GlobalKTables -> transaction-summaries.
    // The global tables load while the trades are processed, so here a name may still be missing
    // (null, industry "unknown"), but a name that is there is the generator's; after the restart
    // below, with the tables bootstrapped first, every summary carries both names.
    const reference = new StockGenerator({ seed: first.seed, clients: 50, startTime: Date.parse(START) });
    const companyOf = new Map(reference.companies().map((c) => [c.symbol, c]));
    const clientOf = new Map(reference.clients().map((c) => [c.customerId, c]));
    await waitForRecords(kafka, 'transaction-summaries', 1, 60_000);
    const summaries = await summaryRecords(kafka);
    expect(summaries.length).toBeGreaterThan(0);
    for (const { key, value } of summaries) {
      const company = companyOf.get(value.stockTicker)!;
      expect({ key, value }).toEqual({
        key: `${value.customerId}|${value.stockTicker}`,
        value: {
          customerId: value.customerId,
          stockTicker: value.stockTicker,
          summaryCount: value.summaryCount,
          industry: value.companyName === null ? 'unknown' : company.industry,
          companyName: value.companyName === null ? null : company.name,
          customerName: value.customerName === null ? null : clientOf.get(value.customerId)!.name,
        },
      });
      expect(value.summaryCount).toBeGreaterThan(0);
    }
    expect((await fetch(`${service.url}/customers/C%7C1/transaction-counts`)).status).toBe(400);
    expect((await fetch(`${service.url}/customers/C-0007/transaction-counts?from=later`)).status).toBe(400);
    expect((await fetch(`${service.url}/stocks/ZZZZ/volume`)).status).toBe(404);

    // Validation and unknown keys.
    expect((await fetch(`${service.url}/stocks/ZZZZ/performance`)).status).toBe(404);
    expect((await fetch(`${service.url}/stocks/not%20a%20symbol/performance`)).status).toBe(400);
    const movers = (await (
      await fetch(`${service.url}/stocks/performance?top=5`)
    ).json()) as StockPerformanceView[];
    expect(movers).toHaveLength(5);
    for (let i = 1; i < movers.length; i++)
      expect(Math.abs(movers[i - 1]!.priceDifferential)).toBeGreaterThanOrEqual(
        Math.abs(movers[i]!.priceDifferential),
      );
    expect((await fetch(`${service.url}/stocks/performance?top=0`)).status).toBe(400);

    // Metrics: the ticker stream was counted, the punctuator ran and forwarded.
    const metrics = parsePrometheusText((await service.metrics()) ?? '');
    expect(sumOf(metrics, 'gmart_stock_ticker_updates_total', { view: 'stream' })).toBe(first.count / 5);
    expect(sumOf(metrics, 'gmart_stock_ticker_updates_total', { view: 'table' })).toBeGreaterThan(0);
    expect(sumOf(metrics, 'gmart_stock_performance_punctuations_total')).toBeGreaterThan(0);
    expect(sumOf(metrics, 'gmart_stock_performance_forwarded_total')).toBeGreaterThan(0);

    // LOG_INTERCEPTORS=true: consumed batches and acknowledgements are logged, never values.
    const log = fs.readFileSync(stack!.logFileOf('stock-analytics'), 'utf8');
    const lines = log.split('\n');
    expect(
      lines.some((l) => l.includes('"msg":"Consumed records"') && l.includes('"topic":"stock-transactions"')),
    ).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"Record acknowledged"'))).toBe(true);
    expect(log).not.toMatch(/sharePrice/);

    // Wait until the group committed everything, then crash the service.
    const admin = kafka.admin();
    await admin.connect();
    const lagZero = async () => {
      const ends = await admin.fetchTopicOffsets('stock-transactions');
      const [committed] = await admin.fetchOffsets({
        groupId: 'gmart-stock-analytics',
        topics: ['stock-transactions'],
      });
      return ends.every(
        (e) => committed!.partitions.find((p) => p.partition === e.partition)?.offset === e.high,
      );
    };
    const deadline = Date.now() + 60_000;
    while (!(await lagZero()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(await lagZero()).toBe(true);
    await admin.disconnect();
    await service.kill();

    // Restart on the same state directory; more trades arrive; counts carry on exactly.
    service = stack!.startService(serviceNamed('stock-analytics'), 'stock-analytics');
    await service.waitReady(120_000);
    expect(await settled(service.url!, expected1, 60_000)).toEqual(expected1);
    // The same seed an hour later: the same companies and clients (so the reference topics do not
    // change under the trades), new sessions.
    const second = { seed: first.seed, count: 2000, startTime: '2026-03-02T15:30:00.000Z' };
    await generate(stack!.brokers, second.seed, second.count, second.startTime);
    const expected2 = expectedSamples([first, second]);
    expect(await settled(service.url!, expected2)).toEqual(expected2);
    // The share-volume table came back from its changelog and kept summing.
    const volumes2 = expectedVolumes([first, second]);
    const end2 = Date.now() + 60_000;
    let got2: number[] = [];
    const want2 = [...volumes2.values()].map((v) => v.shares);
    do {
      got2 = [];
      for (const symbol of volumes2.keys()) {
        const res = await fetch(`${service.url}/stocks/${symbol}/volume`);
        got2.push(res.status === 200 ? ((await res.json()) as { shares: number }).shares : -res.status);
      }
      if (JSON.stringify(got2) === JSON.stringify(want2)) break;
      await new Promise((r) => setTimeout(r, 1000));
    } while (Date.now() < end2);
    expect(got2).toEqual(want2);

    // The global tables were bootstrapped from companies and clients before processing resumed: the
    // latest summary of each of C-0007's new sessions carries its count and both names.
    const sessions2 = expectedCustomerCounts(second, 'C-0007').session;
    expect(sessions2.length).toBeGreaterThan(1);
    const wantSummaries = Object.fromEntries(
      sessions2.map((w) => [
        `C-0007|${w.stockTicker}`,
        {
          customerId: 'C-0007',
          stockTicker: w.stockTicker,
          industry: companyOf.get(w.stockTicker)!.industry,
          summaryCount: w.count,
          customerName: clientOf.get('C-0007')!.name,
          companyName: companyOf.get(w.stockTicker)!.name,
        },
      ]),
    );
    let gotSummaries: Record<string, TransactionSummary> = {};
    expect(
      await until(async () => {
        const latest = await summariesByKey(kafka);
        gotSummaries = Object.fromEntries(Object.keys(wantSummaries).map((k) => [k, latest.get(k)!]));
        return isDeepStrictEqual(gotSummaries, wantSummaries);
      }),
    ).toBe(true);
    expect(gotSummaries).toEqual(wantSummaries);
  });
});
