import { GmartSerdes, StockGenerator, type StockPerformance } from '@gmart/gmart';
import { ConfigError } from '@gmart/nest-streams';
import { Serdes } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { Registry } from 'prom-client';
import { StockAnalyticsMetrics, buildStockAnalyticsTopology, stockAnalyticsConfig } from '../src';

const topics = {
  STOCK_TRANSACTIONS: 'stock-transactions',
  STOCK_TICKER_TABLE: 'stock-ticker-table',
  STOCK_TICKER_STREAM: 'stock-ticker-stream',
  STOCK_PERFORMANCE: 'stock-performance',
  SHARE_VOLUME: 'share-volume',
  STOCK_VOLUME_BY_INDUSTRY: 'stock-volume-by-industry',
  TRANSACTION_COUNTS_SESSION: 'transaction-counts-session',
  TRANSACTION_COUNTS_TUMBLING: 'transaction-counts-tumbling',
  TRANSACTION_COUNTS_HOPPING: 'transaction-counts-hopping',
  COMPANIES: 'companies',
  CLIENTS: 'clients',
  TRANSACTION_SUMMARIES: 'transaction-summaries',
};
const START = Date.parse('2026-03-02T14:30:00.000Z');
const S = Serdes.String();

describe('stock-analytics topology', () => {
  it('reads the transactions once; the Processor API nodes hang on that source', () => {
    const text = buildStockAnalyticsTopology(topics).describe().toString();
    expect(text).toMatch(
      /Source: stocks-source \(topics: \[stock-transactions\]\)\n\s+--> [^\n]*stocks-processor/,
    );
    expect(text).toMatch(/Processor: stocks-processor \(stores: \[stock-performance-store\]\)/);
    expect(text).toMatch(/Source: ticker-stream-source \(topics: \[stock-ticker-stream\]\)/);
    // Kafka's table() naming: Consumed.withName(n) names the table's processor n and its source n-source.
    expect(text).toMatch(
      /Source: ticker-table-source \(topics: \[stock-ticker-table\]\)\n\s+--> ticker-table\n/,
    );
    expect(text.match(/Sub-topology: \d+/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('counts and prints ticker updates with the seed label, and runs the performance punctuator', async () => {
    const registry = new Registry();
    const metrics = new StockAnalyticsMetrics(registry);
    const printed: string[] = [];
    const topology = buildStockAnalyticsTopology(topics, {
      metrics,
      printTicker: true,
      printSink: (line) => printed.push(line),
      punctuateIntervalMs: 1000,
    });
    const driver = await TopologyTestDriver.create(topology, { initialWallClockTimeMs: START });
    const ticker = driver.createInputTopic('stock-ticker-stream', S, GmartSerdes.StockTicker());
    ticker.pipeInput('XRX', { symbol: 'XRX', price: 18.5 }, START);
    ticker.pipeInput('XRX', { symbol: 'XRX', price: 18.7 }, START + 1);
    expect(printed).toEqual(['[Stocks-KStream]: XRX, price=18.5', '[Stocks-KStream]: XRX, price=18.7']);
    const table = driver.createInputTopic('stock-ticker-table', S, GmartSerdes.StockTicker());
    table.pipeInput('XRX', { symbol: 'XRX', price: 18.9 }, START + 2);
    expect(printed[2]).toBe('[Stocks-KTable]: XRX, price=18.9');
    expect(await registry.getSingleMetricAsString('gmart_stock_ticker_updates_total')).toMatch(
      /view="table"} 1/,
    );
    expect(await registry.getSingleMetricAsString('gmart_stock_ticker_updates_total')).toMatch(
      /view="stream"} 2/,
    );

    const input = driver.createInputTopic('stock-transactions', S, GmartSerdes.StockTransaction());
    const g = new StockGenerator({ seed: 2, startTime: START });
    for (let i = 0; i < 800; i++) {
      const t = g.nextTransaction();
      input.pipeInput(t.symbol, t, t.transactionTimestamp);
    }
    driver.advanceWallClockTime(1000);
    const out = driver
      .createOutputTopic('stock-performance', S, GmartSerdes.StockPerformance())
      .readKeyValuesToList();
    expect(out.length).toBeGreaterThan(0);
    for (const kv of out) expect((kv.value as StockPerformance).samples).toBeGreaterThan(20);
    expect(await registry.getSingleMetricAsString('gmart_stock_performance_punctuations_total')).toMatch(
      / 1$/m,
    );
    expect(await registry.getSingleMetricAsString('gmart_stock_performance_forwarded_total')).toMatch(
      new RegExp(` ${out.length}$`, 'm'),
    );
    driver.close();
  });
});

describe('stock-analytics configuration', () => {
  const env = { KAFKA_BROKERS: 'localhost:9092' };

  it('has the seed defaults', () => {
    const c = stockAnalyticsConfig.load(env);
    expect(c.applicationId).toBe('gmart-stock-analytics');
    expect(c.httpPort).toBe(8086);
    expect(c.extra).toMatchObject({
      PERFORMANCE_THRESHOLD_PERCENT: 2,
      PERFORMANCE_PUNCTUATE_MS: 10_000,
      PRINT_TICKER: false,
      LOG_INTERCEPTORS: false,
    });
    expect(c.topics).toMatchObject(topics);
  });

  it('stops with a message naming the bad variable', () => {
    expect(() => stockAnalyticsConfig.load({ ...env, PERFORMANCE_THRESHOLD_PERCENT: 'two' })).toThrow(
      /PERFORMANCE_THRESHOLD_PERCENT/,
    );
    expect(() => stockAnalyticsConfig.load({ ...env, PERFORMANCE_PUNCTUATE_MS: '5' })).toThrow(ConfigError);
    expect(() => stockAnalyticsConfig.load({ ...env, LOG_INTERCEPTORS: 'yes' })).toThrow(/LOG_INTERCEPTORS/);
    expect(() => stockAnalyticsConfig.load({ ...env, TOPIC_STOCK_PERFORMANCE: 'bad topic' })).toThrow(
      /TOPIC_STOCK_PERFORMANCE/,
    );
    expect(() => stockAnalyticsConfig.load({})).toThrow(/KAFKA_BROKERS/);
  });

  it('refuses a null stock transaction (tombstone) as a deserialization error naming the topic, not a processing failure', async () => {
    const driver = await TopologyTestDriver.create(buildStockAnalyticsTopology(topics), {
      initialWallClockTimeMs: START,
    });
    try {
      const input = driver.createInputTopic('stock-transactions', S, GmartSerdes.StockTransaction());
      expect(() => input.pipeInput('XRX', null as never, START)).toThrow(
        /StockTransaction on topic "stock-transactions" is a null value \(tombstone\)/,
      );
    } finally {
      await driver.close();
    }
  });
});
