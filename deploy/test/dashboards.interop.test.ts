import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { DASHBOARDS_DIR } from './support/paths';
import { PrometheusServer } from './support/prometheus-server';
import { promtool } from './support/promtool';
import { Registry } from 'prom-client';
import { StockAnalyticsMetrics } from '../../apps/stock-analytics/src/stock-analytics-metrics';
import {
  EXPORTER_METRICS,
  HISTOGRAMS,
  SERVICE_METRICS,
  STOCK_ANALYTICS_METRICS,
} from './support/service-contract';
import {
  GROUP_TOPICS,
  STEP_SECONDS,
  TOPIC_PARTITIONS,
  lagAt,
  syntheticOpenMetrics,
} from './support/synthetic-metrics';

jest.setTimeout(180_000);

interface Query {
  dashboard: string;
  panel: string;
  expr: string;
}

const dashboards: Record<string, any> = Object.fromEntries(
  fs
    .readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, f), 'utf8'))]),
);

/** Values the template variables take for evaluation ("All" is the regex .*). */
const VARIABLE_VALUES: Record<string, string> = {
  lag_job: 'kafka-exporter',
  consumergroup: '.*',
  topic: '.*',
  service: '.*',
};

/** Replaces Grafana variables as Grafana would before sending the query to Prometheus. */
function substitute(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '1m')
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a, b) => {
      const v = VARIABLE_VALUES[a ?? b];
      if (v === undefined) throw new Error(`unknown dashboard variable ${m}`);
      return v;
    });
}

const queries: Query[] = Object.entries(dashboards).flatMap(([file, d]) =>
  d.panels.flatMap((p: any) =>
    p.targets.map((t: any) => ({ dashboard: file, panel: p.title, expr: substitute(t.expr) })),
  ),
);

const known = new Set([
  ...EXPORTER_METRICS,
  ...SERVICE_METRICS,
  ...HISTOGRAMS.flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
  ...STOCK_ANALYTICS_METRICS,
  'up',
]);

describe('Grafana dashboards (static)', () => {
  it('the dashboards exist with unique uids, unique panel ids and a Prometheus datasource variable', () => {
    expect(Object.keys(dashboards).sort()).toEqual([
      'consumer-lag.json',
      'services.json',
      'stock-analytics.json',
    ]);
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of Object.values(dashboards)) {
      const ids = d.panels.map((p: any) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(d.templating.list[0]).toMatchObject({
        name: 'datasource',
        type: 'datasource',
        query: 'prometheus',
      });
      for (const p of d.panels) {
        expect(p.datasource.uid).toBe('${datasource}');
        expect(p.targets.length).toBeGreaterThan(0);
        expect(p.gridPos).toEqual(expect.objectContaining({ w: expect.any(Number), h: expect.any(Number) }));
      }
    }
  });

  it('the consumer lag dashboard has group and topic variables and the panels the issue lists', () => {
    const d = dashboards['consumer-lag.json'];
    const vars = d.templating.list.map((v: any) => v.name);
    expect(vars).toEqual(expect.arrayContaining(['consumergroup', 'topic']));
    const titles = d.panels.map((p: any) => p.title.toLowerCase()).join('\n');
    for (const words of [
      'lag per partition',
      'time lag',
      'lag trend',
      'consumed vs produced',
      'members',
      'rebalances',
      'commit rate',
    ]) {
      expect(titles).toContain(words);
    }
    const exprs = d.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)).join('\n');
    expect(exprs).toContain('consumergroup=~"$consumergroup"');
    expect(exprs).toContain('topic=~"$topic"');
  });

  it('the services dashboard covers rate, latency, e2e latency, restoration, dropped and dead-lettered records, interceptors', () => {
    const d = dashboards['services.json'];
    expect(d.templating.list.map((v: any) => v.name)).toEqual(expect.arrayContaining(['service', 'topic']));
    const exprs = d.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)).join('\n');
    for (const metric of SERVICE_METRICS) expect(exprs).toContain(metric);
    expect(exprs).toContain('-dlq');
  });

  it('the stock-analytics dashboard shows its trades, lag, ticker KTable vs KStream, punctuator, outputs and late trades', () => {
    const d = dashboards['stock-analytics.json'];
    const exprs = d.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)).join('\n');
    // The service's own metrics, as its metrics class registers them (not restated by hand).
    const registry = new Registry();
    new StockAnalyticsMetrics(registry);
    const names = registry.getMetricsAsArray().map((m) => m.name);
    expect(names.sort()).toEqual([...STOCK_ANALYTICS_METRICS].sort());
    for (const m of names) expect(exprs).toContain(m);
    expect(exprs).toContain('consumergroup="gmart-stock-analytics"');
    expect(exprs).toContain('topic="stock-transactions"');
    for (const topic of [
      'stock-performance',
      'share-volume',
      'stock-volume-by-industry',
      'transaction-counts-',
    ])
      expect(exprs).toContain(topic);
    expect(exprs).toContain('kafka_stream_dropped_records_total{service="stock-analytics"}');
  });

  it('every query uses only metric names of the exporter / streams-library contract', () => {
    expect(queries.length).toBeGreaterThan(20);
    for (const q of queries) {
      const metrics = q.expr.match(/\b(kafka_[a-z0-9_]+|gmart_[a-z0-9_]+|up)(?=\s*\{)/g) ?? [];
      expect({ panel: q.panel, hasMetric: metrics.length > 0 }).toEqual({ panel: q.panel, hasMetric: true });
      for (const m of metrics)
        expect({ panel: q.panel, metric: m, known: known.has(m) }).toEqual({
          panel: q.panel,
          metric: m,
          known: true,
        });
    }
  });

  it('every query parses (promtool check rules over one recording rule per query)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-dash-'));
    try {
      const file = path.join(dir, 'queries.yml');
      const rules = queries.map((q, i) => ({ record: `gmart:dashboard_query:${i}`, expr: q.expr }));
      fs.writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const r = await promtool(['check', 'rules', file]);
      expect(r.output).toContain(`SUCCESS: ${queries.length} rules found`);
      // negative control: a broken query is reported
      fs.writeFileSync(
        file,
        stringify({ groups: [{ name: 'bad', rules: [{ record: 'x', expr: 'sum(rate(up[1m]) by' }] }] }),
      );
      const bad = await promtool(['check', 'rules', file]);
      expect(bad.code).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Grafana dashboards against a real Prometheus (synthetic data with the contract metric names)', () => {
  let dir: string;
  let prom: PrometheusServer | undefined;
  let evalTime: number;
  const steps = 160; // 40 minutes of 15 s samples

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-prom-'));
    const end = Math.floor(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS - 120;
    const start = end - (steps - 1) * STEP_SECONDS;
    evalTime = end;
    const om = path.join(dir, 'synthetic.om');
    fs.writeFileSync(om, syntheticOpenMetrics(start, steps));
    const data = path.join(dir, 'data');
    const backfill = await promtool(['tsdb', 'create-blocks-from', 'openmetrics', om, data]);
    if (backfill.code !== 0) throw new Error(`backfill failed: ${backfill.output}`);
    prom = await PrometheusServer.start(dir, data);
  });

  afterAll(async () => {
    await prom?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every panel query returns data', async () => {
    const empty: string[] = [];
    for (const q of queries) {
      const body = await prom!.api('/api/v1/query', { query: q.expr, time: String(evalTime) });
      expect({ panel: q.panel, status: body.status, error: body.error }).toEqual({
        panel: q.panel,
        status: 'success',
        error: undefined,
      });
      if (body.data.result.length === 0) empty.push(`${q.dashboard} / ${q.panel}: ${q.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('every template variable query returns values', async () => {
    for (const d of Object.values(dashboards)) {
      for (const v of d.templating.list.filter((x: any) => x.type === 'query')) {
        const m = /^label_values\((?:(.+),\s*)?(\w+)\)$/.exec(v.definition);
        expect({ variable: v.name, parsed: m !== null }).toEqual({ variable: v.name, parsed: true });
        const params: Record<string, string | string[]> = {
          start: String(evalTime - 3600),
          end: String(evalTime),
        };
        if (m![1]) params['match[]'] = substitute(m![1]);
        const body = await prom!.api(`/api/v1/label/${m![2]}/values`, params);
        expect({ variable: v.name, values: body.data.length > 0 }).toEqual({
          variable: v.name,
          values: true,
        });
      }
    }
  });

  it('lag is not counted twice although the services publish kafka_consumergroup_lag too', async () => {
    const panel = dashboards['consumer-lag.json'].panels.find((p: any) =>
      p.title.startsWith('Total lag by group'),
    );
    const body = await prom!.api('/api/v1/query', {
      query: substitute(panel.targets[0].expr),
      time: String(evalTime),
    });
    const byGroup = Object.fromEntries(
      body.data.result.map((r: any) => [r.metric.consumergroup, Number(r.value[1])]),
    );
    const last = lagAt(steps - 1);
    const expected = Object.fromEntries(
      Object.entries(GROUP_TOPICS).map(([g, topics]) => [
        g,
        topics.reduce((n, t) => n + TOPIC_PARTITIONS[t] * last, 0),
      ]),
    );
    expect(byGroup).toEqual(expected);
    const perPartition = dashboards['consumer-lag.json'].panels.find((p: any) =>
      p.title.startsWith('Lag per partition'),
    );
    const pp = await prom!.api('/api/v1/query', {
      query: substitute(perPartition.targets[0].expr),
      time: String(evalTime),
    });
    for (const r of pp.data.result) expect(Number(r.value[1])).toBe(last);
  });
});
