import { Counter, Histogram, Registry } from 'prom-client';
import { MetricsProducerInterceptor } from '../../src';
import { collectPendingTallies, PendingTallies } from '../../src/metrics/pending-tallies';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A deterministic stream of values spread over the buckets, with many repeats (as acks of one request). */
function values(n: number): number[] {
  let x = 7;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return [0, 0.001, 0.0015, 0.004, 0.02, 0.3, 3, 11, 0.5][x % 9]!;
  });
}

/** The exposition of `registry` with each sample value rounded (sums of many floats may differ in the last bits). */
async function exposition(registry: Registry): Promise<string> {
  const text = await registry.metrics();
  return text.replace(
    / (-?\d+(\.\d+)?(e-?\d+)?)$/gm,
    (_m, v: string) => ` ${Number(Number(v).toPrecision(10))}`,
  );
}

describe('PendingTallies', () => {
  it('a collection shows exactly what the same counts and observations made one by one show', async () => {
    const plain = new Registry();
    const plainCounter = new Counter({ name: 'c_total', help: 'c', labelNames: ['t'], registers: [plain] });
    const plainHistogram = new Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['t'],
      buckets: BUCKETS,
      registers: [plain],
    });
    const tallied = new Registry();
    const counter = new Counter({
      name: 'c_total',
      help: 'c',
      labelNames: ['t'],
      registers: [tallied],
      collect: collectPendingTallies,
    });
    const histogram = new Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['t'],
      buckets: BUCKETS,
      registers: [tallied],
      collect: collectPendingTallies,
    });
    // Two sources feed the same metrics (two interceptors on one registry).
    const a = new PendingTallies(counter, histogram);
    const b = new PendingTallies(counter, histogram);
    const vs = values(5000);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < vs.length; i++) {
        const t = i % 3 === 0 ? 'x' : 'y';
        const source = i % 2 === 0 ? a : b;
        source.count(t, { t }, 1 + (i % 2));
        plainCounter.inc({ t }, 1 + (i % 2));
        source.observe(t, { t }, vs[i]!);
        plainHistogram.observe({ t }, vs[i]!);
      }
      // Every collection sees everything tallied before it.
      expect(await exposition(tallied)).toBe(await exposition(plain));
    }
    const series = (await histogram.get()).values.filter((v) => v.metricName === 'h_seconds_count');
    expect(series.map((s) => s.value).reduce((x, y) => x + y, 0)).toBe(15000);
  });

  it('MetricsProducerInterceptor: a request acknowledged at once reports what its records acknowledged one by one report', async () => {
    const sent = Date.now() - 30;
    const records = ['a', 'a', 'b', 'a', 'b', 'b', 'c'].map((topic) => ({
      topic,
      partition: 0,
      key: null,
      value: null,
      timestamp: 0,
      headers: {},
    }));
    const one = new Registry();
    const byRecord = new MetricsProducerInterceptor('c', one);
    const all = new Registry();
    const byRequest = new MetricsProducerInterceptor('c', all);
    // The same clock for both: every latency falls in the same bucket either way.
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      for (const r of records) {
        byRecord.onSend(r);
        byRequest.onSend(r);
      }
      for (const r of records)
        byRecord.onAcknowledgement(
          {
            topic: r.topic,
            partition: 0,
            offset: 0,
            timestamp: 0,
            serializedKeySize: -1,
            serializedValueSize: -1,
            sendTimeMs: sent,
          },
          null,
        );
      byRequest.onAcknowledgedRequest(records, sent);
    } finally {
      clock.mockRestore();
    }
    expect(await exposition(all)).toBe(await exposition(one));
    expect(await exposition(all)).toContain(
      'kafka_producer_ack_latency_seconds_count{client_id="c",topic="b"} 3',
    );
  });

  it('MetricsProducerInterceptor: sends, errors and latencies as the metrics report them', async () => {
    const registry = new Registry();
    const interceptor = new MetricsProducerInterceptor('c1', registry);
    const record = (topic: string) => ({
      topic,
      partition: undefined,
      key: null,
      value: null,
      timestamp: 0,
      headers: {},
    });
    for (let i = 0; i < 10; i++) interceptor.onSend(record(i < 7 ? 'a' : 'b'));
    const now = Date.now();
    const md = (topic: string) => ({
      topic,
      partition: 0,
      offset: 1,
      timestamp: 0,
      serializedKeySize: -1,
      serializedValueSize: -1,
      sendTimeMs: now + 60_000, // in the future: latency 0
    });
    for (let i = 0; i < 6; i++) interceptor.onAcknowledgement(md('a'), null);
    interceptor.onAcknowledgement(md('a'), new Error('refused'));
    const value = async (name: string, topic: string, metricName = name) =>
      (await registry.getSingleMetric(name)!.get()).values.find(
        (v) => v.labels.topic === topic && ((v as { metricName?: string }).metricName ?? name) === metricName,
      )?.value;
    expect(await value('kafka_producer_record_send_total', 'a')).toBe(7);
    expect(await value('kafka_producer_record_send_total', 'b')).toBe(3);
    expect(await value('kafka_producer_record_error_total', 'a')).toBe(1);
    // The error series of a topic exists at 0 from its first send.
    expect(await value('kafka_producer_record_error_total', 'b')).toBe(0);
    expect(
      await value('kafka_producer_ack_latency_seconds', 'a', 'kafka_producer_ack_latency_seconds_count'),
    ).toBe(6);
    expect(
      await value('kafka_producer_ack_latency_seconds', 'a', 'kafka_producer_ack_latency_seconds_sum'),
    ).toBe(0);
    // More after a collection adds to it.
    interceptor.onSend(record('b'));
    expect(await value('kafka_producer_record_send_total', 'b')).toBe(4);
    // A second interceptor on the same registry (another instance) adds its own client's series.
    const other = new MetricsProducerInterceptor('c2', registry);
    other.onSend(record('a'));
    const sends = (await registry.getSingleMetric('kafka_producer_record_send_total')!.get()).values;
    expect(sends.find((v) => v.labels.client_id === 'c2' && v.labels.topic === 'a')?.value).toBe(1);
    expect(sends.find((v) => v.labels.client_id === 'c1' && v.labels.topic === 'a')?.value).toBe(7);
  });

  it('MetricsProducerInterceptor: sends interleaved over topics and collections count as one inc per send', async () => {
    const registry = new Registry();
    const interceptor = new MetricsProducerInterceptor('c1', registry);
    const plain = new Registry();
    const model = new Counter({
      name: 'kafka_producer_record_send_total',
      help: 'Records handed to the producer',
      labelNames: ['client_id', 'topic'],
      registers: [plain],
    });
    const sendCounts = async (r: Registry) =>
      (await r.getSingleMetric('kafka_producer_record_send_total')!.get()).values
        .map((v) => `${v.labels.client_id}/${v.labels.topic}=${v.value}`)
        .sort();
    const topics = ['coffee', 'left-repartition', 'coffee-changelog', 'coupons', 'store-changelog'];
    let x = 11;
    for (let i = 0; i < 3000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      // Runs of one topic (a cache flush) and alternations (a record's sinks and changelogs).
      const topic = topics[(x >> 8) % (i % 500 < 100 ? 1 : topics.length)]!;
      interceptor.onSend({ topic, partition: undefined, key: null, value: null, timestamp: 0, headers: {} });
      model.inc({ client_id: 'c1', topic });
      // A collection now and then (a scrape) sees every send before it, and later sends add to it.
      if (x % 97 === 0) expect(await sendCounts(registry)).toEqual(await sendCounts(plain));
    }
    expect(await sendCounts(registry)).toEqual(await sendCounts(plain));
  });
});
