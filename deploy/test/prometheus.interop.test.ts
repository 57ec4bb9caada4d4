import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { PROMETHEUS_DIR } from './support/paths';
import { promtool } from './support/promtool';
import {
  EXPORTER_METRICS,
  HISTOGRAMS,
  SERVICE_METRICS,
  STOCK_ANALYTICS_METRICS,
} from './support/service-contract';

jest.setTimeout(120_000);

const RULES = path.join(PROMETHEUS_DIR, 'rules/gmart-alerts.yml');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-promtool-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Prometheus configuration and alert rules', () => {
  it('promtool check config accepts prometheus.yml and finds the rule files', async () => {
    const r = await promtool(['check', 'config', path.join(PROMETHEUS_DIR, 'prometheus.yml')]);
    expect(r.output).toContain('SUCCESS: 1 rule files found');
    expect(r.code).toBe(0);
  });

  it('promtool check rules accepts the alert rules', async () => {
    const r = await promtool(['check', 'rules', RULES]);
    expect(r.output).toContain('SUCCESS: 7 rules found');
    expect(r.code).toBe(0);
  });

  it('promtool test rules: every alert fires when it should and stays quiet when it should not', async () => {
    const r = await promtool(['test', 'rules', path.join(PROMETHEUS_DIR, 'tests/gmart-alerts.test.yml')]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('every alert named by the issue exists and is covered by a unit test', () => {
    const rules = parse(fs.readFileSync(RULES, 'utf8'));
    const alerts: string[] = rules.groups.flatMap((g: { rules: { alert: string }[] }) =>
      g.rules.map((r) => r.alert),
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        'GmartConsumerLagHigh',
        'GmartConsumerLagGrowing',
        'GmartConsumerGroupStalled',
        'GmartServiceDown',
        'GmartDeadLetterRecords',
        'GmartStockPerformancePunctuatorStalled',
      ]),
    );
    const tests = parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'tests/gmart-alerts.test.yml'), 'utf8'));
    const tested = new Set(
      tests.tests.flatMap((t: { alert_rule_test: { alertname: string }[] }) =>
        t.alert_rule_test.map((a) => a.alertname),
      ),
    );
    for (const a of alerts) expect({ alert: a, tested: tested.has(a) }).toEqual({ alert: a, tested: true });
  });

  it('rules only use metric names of the exporter / streams-library contract', () => {
    const known = new Set([
      ...EXPORTER_METRICS,
      ...SERVICE_METRICS,
      ...HISTOGRAMS.flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
      'up',
    ]);
    const text = fs.readFileSync(RULES, 'utf8');
    const exprs: string[] = parse(text).groups.flatMap((g: { rules: { expr: string }[] }) =>
      g.rules.map((r) => r.expr),
    );
    let seen = 0;
    for (const e of exprs) {
      seen += (e.match(/\b(kafka_[a-z0-9_]+|up)\b(?=\s*[{[)\s])/g) ?? []).length;
      for (const m of e.match(/\b(kafka_[a-z0-9_]+|up)\b(?=\s*[{[)\s])/g) ?? [])
        expect({ metric: m, known: known.has(m) }).toEqual({ metric: m, known: true });
    }
    expect(seen).toBeGreaterThanOrEqual(exprs.length);
  });

  it("the services' own metrics in rules (gmart_*) are ones a service registers", () => {
    const text = fs.readFileSync(RULES, 'utf8');
    const exprs: string[] = parse(text).groups.flatMap((g: { rules: { expr: string }[] }) =>
      g.rules.map((r) => r.expr),
    );
    const own = exprs.flatMap((e) => e.match(/\bgmart_[a-z0-9_]+\b/g) ?? []);
    expect(own).toContain('gmart_stock_performance_punctuations_total');
    for (const m of own)
      expect({ metric: m, known: STOCK_ANALYTICS_METRICS.includes(m) }).toEqual({ metric: m, known: true });
  });

  it('promtool test rules fails when a rule is broken (negative control)', async () => {
    const rules = parse(fs.readFileSync(RULES, 'utf8'));
    rules.groups[0].rules[0].expr = 'max by (consumergroup, topic) (kafka_consumergroup_lag_sum) > 1000000';
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(path.join(dir, 'rules'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.writeFileSync(path.join(dir, 'rules/gmart-alerts.yml'), stringify(rules));
    fs.copyFileSync(
      path.join(PROMETHEUS_DIR, 'tests/gmart-alerts.test.yml'),
      path.join(dir, 'tests/gmart-alerts.test.yml'),
    );
    const r = await promtool(['test', 'rules', path.join(dir, 'tests/gmart-alerts.test.yml')]);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('alertname: GmartConsumerLagHigh');
  });
});
