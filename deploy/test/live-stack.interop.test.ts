/**
 * Live validation of the dashboards and alert rules against the real G-Mart services.
 *
 * Starts the local stack of `npm start` (scripts/local-stack: masking, patterns, rewards, storage as their
 * own processes, embedded MongoDB) on an embedded broker that publishes its kafka_exporter-named metrics,
 * feeds it with the purchase generator, and starts a real Prometheus (Debian's package) whose configuration
 * is derived from the compose one (deploy/prometheus/prometheus.yml: same jobs, labels and rule files, local
 * addresses). The run then makes the rarer panels' conditions happen for real: a malformed record on
 * `transactions` (dropped by masking's deserialization handler and dead-lettered to `gmart-masking-dlq`),
 * and a restart of the stateful rewards service without its state directory (the store is restored from its
 * changelog). Every panel query of every dashboard, with its variables resolved through Prometheus and the
 * interval variables replaced, is evaluated over the run through /api/v1/query_range and must return data;
 * every alert rule must evaluate, and the dead-letter alert must fire.
 *
 * `KEEP_LIVE_DIR=1` keeps the temporary directory (broker data, service logs, Prometheus TSDB) for a look
 * after a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildApp, sleep, startBroker, waitForValue, type TestBroker } from '@gmart/test-support';
import { parse } from 'yaml';
import {
  LocalStack,
  REPO_ROOT,
  availableServices,
  scanForCardNumbers,
  serviceNamed,
} from '@gmart/test-support/local-stack';
import {
  type PanelQuery,
  intervalVariables,
  panelQueries,
  resolveVariables,
  substitute,
} from './support/grafana-queries';
import { localScrapeConfig } from './support/local-scrape-config';
import { DASHBOARDS_DIR, PROMETHEUS_DIR } from './support/paths';
import { PrometheusServer } from './support/prometheus-server';

jest.setTimeout(240_000);

const SERVICES = ['masking', 'patterns', 'rewards', 'storage', 'coupon-join', 'stock-analytics'];
const SCRAPE_SECONDS = 1;
/** The panel interval Grafana would pick for a ~5-minute range: `$__rate_interval` becomes 6s. */
const INTERVAL_SECONDS = 5;
const INTERVALS = intervalVariables(SCRAPE_SECONDS, INTERVAL_SECONDS);
/** A card number (Luhn-valid test number) inside the malformed record: it must never reach a label. */
const CARD = '4111111111111111';

const dashboards: [string, any][] = fs
  .readdirSync(DASHBOARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, f), 'utf8'))]);
const rules = parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'rules/gmart-alerts.yml'), 'utf8'));

let dir: string;
let env: TestBroker | undefined;
let stack: LocalStack | undefined;
let generator: ChildApp | undefined;
let stockGenerator: ChildApp | undefined;
let prom: PrometheusServer | undefined;
let startSec: number;
let restoredRecords = 0;
let skippedJobs: string[] = [];

const nowSec = () => Date.now() / 1000;

async function instant(query: string): Promise<any[]> {
  const body = await prom!.api('/api/v1/query', { query });
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

/** Polls `probe` every second until it gives a value (see test-support's waitForValue). */
function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  return waitForValue(probe, timeoutMs, what, 1000);
}

/** Sum of a metric's samples in a service's /metrics text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-live-stack-'));
  expect(availableServices().map((s) => s.name)).toEqual(SERVICES);
  env = await startBroker({ metricsPort: 0, dataDir: path.join(dir, 'kafka'), clientId: 'live-stack-test' });
  const { broker, kafka } = env;
  // The stack of `npm start`, on this broker (it starts its own without metrics otherwise).
  stack = await LocalStack.start({
    kafkaBrokers: broker.bootstrapServers,
    dataDir: path.join(dir, 'stack'),
    httpPorts: 'ephemeral',
    serviceEnv: { COMMIT_INTERVAL_MS: '1000' },
  });
  startSec = nowSec();
  generator = ChildApp.start(
    path.join(REPO_ROOT, 'libs/gmart/src/cli/generate.ts'),
    ['--rate', '50', '--brokers', broker.bootstrapServers],
    { cwd: REPO_ROOT },
  );
  // Stock transactions for stock-analytics (its lag and rates on the dashboards).
  stockGenerator = ChildApp.start(
    path.join(REPO_ROOT, 'libs/gmart/src/cli/generate-stocks.ts'),
    ['--rate', '50', '--brokers', broker.bootstrapServers],
    { cwd: REPO_ROOT },
  );

  const byComposeService: Record<string, string> = {
    'kafka-exporter': `127.0.0.1:${broker.metricsPort}`,
  };
  for (const s of stack.services) byComposeService[s.instance] = new URL(s.url!).host;
  const generated = localScrapeConfig(
    parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')),
    { byComposeService },
    {
      scrapeInterval: `${SCRAPE_SECONDS}s`,
      evaluationInterval: '1s',
      ruleFiles: [path.join(PROMETHEUS_DIR, 'rules/*.yml')],
      skipJobs: { prometheus: 'Prometheus scraping itself; no dashboard or rule reads it' },
    },
  );
  skippedJobs = generated.skipped;
  prom = await PrometheusServer.start(dir, path.join(dir, 'prometheus'), generated.yaml);

  // Purchases flowing through every service, as Prometheus sees it.
  await until('every service processing records', 90_000, async () => {
    const r = await instant(
      `sum by (service) (rate(kafka_stream_thread_process_total{job="gmart"}[${INTERVALS.__rate_interval}])) > 0`,
    );
    return r.length === SERVICES.length ? r : undefined;
  });

  // Malformed purchases carrying a card number: masking's deserialization handler drops them (masked) to
  // gmart-masking-dlq, counting kafka_stream_dropped_records_total{reason="deserialization_error"}. Two of
  // them, a few scrapes apart: the counter's series is created by the first drop (born at 1, so a rate
  // sees no increase yet); the second one is what the rate panels and the alert can see.
  const producer = kafka.producer();
  await producer.connect();
  const malformed = { key: 'malformed', value: `{"customerId": "c-1", "creditCardNumber": "${CARD}", ` };
  await producer.send({ topic: 'transactions', messages: [malformed] });
  await until('the first drop scraped', 30_000, async () =>
    (await instant('kafka_stream_dropped_records_total{service="masking"}')).length ? true : undefined,
  );
  await sleep(3 * SCRAPE_SECONDS * 1000);
  await producer.send({ topic: 'transactions', messages: [malformed] });
  await producer.disconnect();

  // Restart the stateful service the way a pod losing its volume would: without its state directory, so
  // its store is restored from the changelog (kafka_stream_task_restore_*). Same port, so the scrape
  // target stays the one Prometheus knows.
  const rewards = stack.instancesOf('rewards')[0]!;
  const port = new URL(rewards.url!).port;
  await until('rewards points in the changelog', 60_000, async () =>
    metricSum((await rewards.metrics()) ?? '', 'kafka_stream_thread_process_total') > 0 ? true : undefined,
  );
  await sleep(2000); // a commit or two, so the changelog holds the store
  expect(await rewards.stop()).toBe(0);
  // Let Prometheus scrape the group without members, so the restart shows on the rebalances panel
  // (changes() of the member count) whatever the timing of the restart.
  await until('Prometheus seeing gmart-rewards without members', 30_000, async () => {
    const body = await prom!.api('/api/v1/query', {
      query: 'kafka_consumergroup_members{consumergroup="gmart-rewards"} == 0',
    });
    return body.data.result.length > 0 ? true : undefined;
  });
  fs.rmSync(path.join(stack.dataDir, 'state', 'rewards'), { recursive: true, force: true });
  const restarted = stack.startService(serviceNamed('rewards'), 'rewards', { HTTP_PORT: port });
  await restarted.waitReady(90_000).catch((err: Error) => {
    const log = fs.readFileSync(stack!.logFileOf('rewards'), 'utf8');
    throw new Error(`${err.message}\n${log.split('\n').slice(-15).join('\n')}`);
  });
  restoredRecords = metricSum((await restarted.metrics()) ?? '', 'kafka_stream_task_restore_total');
});

afterAll(async () => {
  for (const child of [generator, stockGenerator]) {
    if (!child) continue;
    const timer = setTimeout(() => child.signal('SIGKILL'), 10_000);
    await child.kill('SIGTERM');
    clearTimeout(timer);
  }
  await prom?.stop();
  await stack?.stop();
  await env?.broker.stop();
  if (dir && !process.env.KEEP_LIVE_DIR) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the local stack scraped by a real Prometheus configured like compose', () => {
  it('scrapes every service and the broker under the compose job names', async () => {
    expect(skippedJobs).toEqual([expect.stringMatching(/^prometheus: /)]);
    const up = await until('every target up', 30_000, async () => {
      const r = await instant('up');
      return r.length === SERVICES.length + 1 && r.every((s) => s.value[1] === '1') ? r : undefined;
    });
    expect(up.map((s) => `${s.metric.job}/${s.metric.service ?? ''}`).sort()).toEqual([
      'gmart/coupon-join',
      'gmart/masking',
      'gmart/patterns',
      'gmart/rewards',
      'gmart/stock-analytics',
      'gmart/storage',
      'kafka-exporter/',
    ]);
  });

  it('restored the restarted rewards store from its changelog', () => {
    expect(restoredRecords).toBeGreaterThan(0);
  });

  it.each(dashboards.map(([f]) => f))('%s: every panel query returns data over the run', async (file) => {
    const dashboard = dashboards.find(([f]) => f === file)![1];
    const { found, values } = await resolveVariables(dashboard, prom!, INTERVALS, startSec, nowSec());
    // Variables resolve to the real groups, topics, services and jobs.
    const expected: Record<string, string[]> = {
      lag_job: ['kafka-exporter'],
      consumergroup: SERVICES.map((s) => `gmart-${s}`),
      service: SERVICES,
      topic: ['purchases', 'transactions'],
    };
    for (const [name, vals] of Object.entries(found))
      expect({ name, vals }).toEqual({ name, vals: expect.arrayContaining(expected[name] ?? ['?']) });

    const queries = panelQueries(file, dashboard).map((q) => ({ ...q, expr: substitute(q.raw, values) }));
    // At least one query per panel that has targets (a parser that lost panels would shrink this).
    const panelsWithQueries = dashboard.panels.filter((p: any) => p.targets?.length).length;
    expect(panelsWithQueries).toBeGreaterThan(0);
    expect(queries.length).toBeGreaterThanOrEqual(panelsWithQueries);
    let missing: (PanelQuery & { expr: string })[] = [];
    await until(`data in every panel of ${file}`, 60_000, async () => {
      missing = [];
      for (const q of queries) {
        const body = await prom!.api('/api/v1/query_range', {
          query: q.expr,
          start: String(startSec),
          end: String(nowSec()),
          step: INTERVALS.__interval,
        });
        if (body.status !== 'success') throw new Error(`${q.panel} (${q.refId}): ${body.error} in ${q.expr}`);
        if (body.data.result.length === 0) missing.push(q);
      }
      return missing.length === 0 ? true : undefined;
    }).catch((err: Error) => {
      const list = missing.map((q) => `  ${q.panel} (${q.refId}): ${q.expr}`).join('\n');
      throw new Error(`${err.message}; empty:\n${list}`);
    });
    // Every panel, the interceptor and producer-ack ones included (the services install the library's
    // metrics interceptors), shows data.
    expect(missing.map((q) => q.panel)).toEqual([]);
  });

  it('the dead-letter, dropped-records and restoration panels show the conditions this run produced', async () => {
    const services = dashboards.find(([f]) => f === 'services.json')![1];
    const { values } = await resolveVariables(services, prom!, INTERVALS, startSec, nowSec());
    const panel = (title: string, index = 0) =>
      substitute(services.panels.find((p: any) => p.title.startsWith(title)).targets[index].expr, values);
    const maxOver = async (expr: string, by = ['service']): Promise<Record<string, number>> => {
      const body = await prom!.api('/api/v1/query_range', {
        query: expr,
        start: String(startSec),
        end: String(nowSec()),
        step: INTERVALS.__interval,
      });
      const out: Record<string, number> = {};
      for (const s of body.data.result)
        out[by.map((l) => s.metric[l]).join('/')] = Math.max(
          ...s.values.map((v: [number, string]) => Number(v[1])),
        );
      return out;
    };
    const dlq = await until('dead-lettered records on the panel', 30_000, async () => {
      const m = await maxOver(panel('Dead-lettered records'), ['topic']);
      return (m['gmart-masking-dlq'] ?? 0) > 0 ? m : undefined;
    });
    expect(
      Object.entries(dlq)
        .filter(([, v]) => v > 0)
        .map(([k]) => k),
    ).toEqual(['gmart-masking-dlq']);
    const dropped = await until('dropped records on the panel', 30_000, async () => {
      const m = await maxOver(panel('Dropped records'), ['service', 'reason']);
      return (m['masking/deserialization_error'] ?? 0) > 0 ? m : undefined;
    });
    // Every service exports every reason from the start at 0; only masking's deserialization errors moved.
    expect(
      Object.entries(dropped)
        .filter(([, v]) => v > 0)
        .map(([k]) => k),
    ).toEqual(['masking/deserialization_error']);
    expect(dropped['rewards/processing_error']).toBe(0);
    // The restore (a few hundred records) ends within ~100 ms of the restarted process starting, before its
    // first scrape: "restored since start" shows it; "restored/s" has the series but no visible rate.
    const restored = await until('restored records on the panel', 30_000, async () => {
      const m = await maxOver(panel('State restoration', 2));
      return (m['rewards'] ?? 0) > 0 ? m : undefined;
    });
    expect(restored).toEqual({ rewards: restoredRecords });
    expect(Object.keys(await maxOver(panel('State restoration', 1)))).toEqual(['rewards']);
    const lag = dashboards.find(([f]) => f === 'consumer-lag.json')![1];
    const lagValues = (await resolveVariables(lag, prom!, INTERVALS, startSec, nowSec())).values;
    const rebalances = await maxOver(
      substitute(lag.panels.find((p: any) => p.title.startsWith('Rebalances')).targets[0].expr, lagValues),
      ['consumergroup'],
    );
    expect(rebalances['gmart-rewards']).toBeGreaterThan(0);
  });

  it('every alert rule evaluates on the live data, and the dead-letter alert fires', async () => {
    const all = rules.groups.flatMap((g: any) => g.rules);
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const r of all) {
      const body = await prom!.api('/api/v1/query', { query: r.expr });
      expect({ alert: r.alert, status: body.status, error: body.error }).toEqual({
        alert: r.alert,
        status: 'success',
        error: undefined,
      });
    }
    // Loaded from the same file by Prometheus's rule manager: each evaluated without error.
    const loaded = await until('every rule evaluated', 30_000, async () => {
      const body = await prom!.api('/api/v1/rules', {});
      const rs = body.data.groups.flatMap((g: any) => g.rules);
      return rs.length === all.length &&
        rs.every((r: any) => r.lastEvaluation && !r.lastEvaluation.startsWith('0001'))
        ? rs
        : undefined;
    });
    expect(
      loaded.map((r: any) => ({ name: r.name, health: r.health, lastError: r.lastError ?? '' })),
    ).toEqual(all.map((r: any) => ({ name: r.alert, health: 'ok', lastError: '' })));
    const firing = await until('GmartDeadLetterRecords firing', 30_000, async () => {
      const body = await prom!.api('/api/v1/alerts', {});
      const a = body.data.alerts.filter(
        (x: any) => x.labels.alertname === 'GmartDeadLetterRecords' && x.state === 'firing',
      );
      return a.length ? a : undefined;
    });
    expect(firing.map((a: any) => a.labels.topic)).toEqual(['gmart-masking-dlq']);
    const alerts = (await prom!.api('/api/v1/alerts', {})).data.alerts;
    expect(
      alerts
        .filter((a: any) => a.labels.alertname === 'GmartRecordsDropped')
        .map((a: any) => [a.labels.service, a.labels.reason, a.state]),
    ).toEqual([['masking', 'deserialization_error', 'pending']]);
  });

  it('no metric label anywhere carries a card number, not even from the malformed record', async () => {
    const names = (await prom!.api('/api/v1/labels', {})).data as string[];
    let text = '';
    for (const n of names)
      text += `${((await prom!.api(`/api/v1/label/${n}/values`, {})).data as string[]).join('\n')}\n`;
    expect(text).toContain('gmart-masking-dlq');
    expect(scanForCardNumbers(text)).toEqual([]);
  });
});
