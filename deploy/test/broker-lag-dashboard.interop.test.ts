/**
 * Live check of the consumer-lag dashboard against the embedded broker's own kafka_exporter-named metrics:
 * a real Prometheus (Debian's package) scrapes the broker while a kafkajs producer and consumer group run,
 * then every panel of deploy/grafana/dashboards/consumer-lag.json must return data through the HTTP API.
 * (The services dashboard needs the running services: that live check comes with them.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import { startBroker, type TestBroker } from '@gmart/test-support';
import { parse } from 'yaml';
import { ensureTopics, parseTopicsFile } from '../src';
import { DASHBOARDS_DIR, PROMETHEUS_DIR } from './support/paths';
import { PrometheusServer } from './support/prometheus-server';

jest.setTimeout(180_000);

const GROUP = 'gmart-patterns';
const TOPIC = 'purchases';
const dashboard = JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, 'consumer-lag.json'), 'utf8'));
const values: Record<string, string> = { lag_job: 'kafka-exporter', consumergroup: GROUP, topic: TOPIC };
const substitute = (expr: string): string =>
  expr.replace(/\$__rate_interval/g, '1m').replace(/\$\{?(\w+)\}?/g, (m, v) => {
    if (!(v in values)) throw new Error(`unknown variable ${m}`);
    return values[v];
  });

let dir: string;
let env: TestBroker | undefined;
let prom: PrometheusServer | undefined;
let producer: Producer;
let consumer: Consumer;
let producing: NodeJS.Timeout | undefined;

beforeAll(async () => {
  // Its own temp dir (not tempDir's): removed in this file's afterAll, once the broker has stopped.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-broker-lag-'));
  env = await startBroker({ metricsPort: 0, dataDir: path.join(dir, 'kafka') });
  const { broker, kafka } = env;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    parseTopicsFile(
      `topics:\n  - name: ${TOPIC}\n    partitions: 3\n  - name: gmart-patterns-dlq\n`,
      'inline',
    ),
  );
  await admin.disconnect();

  producer = kafka.producer();
  await producer.connect();
  let n = 0;
  const send = async () => {
    await producer.send({
      topic: TOPIC,
      messages: Array.from({ length: 20 }, () => ({ key: `k${n % 7}`, value: `purchase-${n++}` })),
    });
  };
  await send();
  producing = setInterval(() => void send().catch(() => undefined), 250);

  consumer = kafka.consumer({ groupId: GROUP });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    autoCommitInterval: 500,
    eachMessage: async () => new Promise((r) => setTimeout(r, 2)),
  });

  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: kafka-exporter',
    '    static_configs:',
    `      - targets: ["127.0.0.1:${broker.metricsPort}"]`,
    '',
  ].join('\n');
  prom = await PrometheusServer.start(dir, path.join(dir, 'prometheus'), config);
});

afterAll(async () => {
  if (producing) clearInterval(producing);
  await consumer?.disconnect().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await prom?.stop();
  await env?.broker.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls until every query returns data (or the deadline passes); returns the queries still empty. */
async function untilAllHaveData(
  queries: { title: string; expr: string }[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const empty: string[] = [];
    for (const q of queries) {
      const body = await prom!.api('/api/v1/query', { query: q.expr });
      if (body.status !== 'success') throw new Error(`${q.title}: ${body.error}`);
      if (body.data.result.length === 0) empty.push(`${q.title}: ${q.expr}`);
    }
    if (empty.length === 0 || Date.now() > deadline) return empty;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('consumer-lag dashboard on the embedded broker, scraped by a real Prometheus', () => {
  it('every panel returns data', async () => {
    const queries = dashboard.panels.flatMap((p: any) =>
      p.targets.map((t: any) => ({ title: p.title, expr: substitute(t.expr) })),
    );
    expect(queries.length).toBeGreaterThanOrEqual(12);
    expect(await untilAllHaveData(queries, 90_000)).toEqual([]);
  });

  it('the template variables find the broker job, the group and the topic', async () => {
    for (const v of dashboard.templating.list.filter((x: any) => x.type === 'query')) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition)!;
      const body = await prom!.api(`/api/v1/label/${m[2]}/values`, { 'match[]': substitute(m[1]) });
      expect({ variable: v.name, values: body.data }).toEqual({
        variable: v.name,
        values: expect.arrayContaining([values[v.name]]),
      });
    }
  });

  it('the alert rules evaluate against the broker metrics', async () => {
    const rules = parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'rules/gmart-alerts.yml'), 'utf8'));
    for (const g of rules.groups) {
      for (const r of g.rules) {
        const body = await prom!.api('/api/v1/query', { query: r.expr });
        expect({ alert: r.alert, status: body.status }).toEqual({ alert: r.alert, status: 'success' });
      }
    }
  });
});
