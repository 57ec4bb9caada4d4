/**
 * The stock-analytics service (stateful: repartition and changelog topics it creates itself,
 * GlobalKTables) as a principal with exactly the ACLs its README documents, against the embedded
 * broker with SASL/SCRAM over TLS (CA from a file) and ACLs on: a trade's share volume comes out
 * (and a malformed trade is dead-lettered) under both processing guarantees and the broker denies
 * it nothing; a wrong password or an untrusted broker certificate stops it at start naming the
 * cause, never a password.
 */
import { join } from 'node:path';
import { GmartSerdes, StockGenerator } from '@gmart/gmart';
import { bootstrapStreamsService } from '@gmart/nest-streams';
import { describeServiceUnderAcls, produce, recordsAfter } from '@gmart/test-support';
import { StockAnalyticsModule, stockAnalyticsConfig, stockAnalyticsRuntime } from '../src';

jest.setTimeout(120_000);

const COMPACTED = { 'cleanup.policy': 'compact' };
/** Shares traded per symbol over the test's runs: the share-volume table's brute-force model. */
const traded = new Map<string, number>();

describeServiceUnderAcls({
  user: 'stock-analytics',
  readme: join(__dirname, '..', 'README.md'),
  topics: [
    { topic: 'stock-transactions' },
    { topic: 'stock-ticker-table', config: COMPACTED },
    { topic: 'stock-ticker-stream' },
    { topic: 'companies', config: COMPACTED },
    { topic: 'clients', config: COMPACTED },
    ...['stock-performance', 'share-volume', 'stock-volume-by-industry', 'transaction-summaries'].map(
      (topic) => ({
        topic,
      }),
    ),
    ...['session', 'tumbling', 'hopping'].map((w) => ({ topic: `transaction-counts-${w}` })),
    { topic: 'gmart-stock-analytics-stock-performance-store-changelog', config: COMPACTED },
    { topic: 'gmart-stock-analytics-dlq' },
  ],
  module: StockAnalyticsModule,
  config: stockAnalyticsConfig,
  bootstrap: (options) => bootstrapStreamsService({ ...options, runtimeFactory: stockAnalyticsRuntime() }),
  input: 'stock-transactions',
  does: "gives a trade's share volume",
  exercise: async (admin, guarantee) => {
    const generator = new StockGenerator({
      seed: guarantee.length,
      clients: 3,
      startTime: Date.now() - 60_000,
    });
    const company = GmartSerdes.Company().serializer();
    const client = GmartSerdes.Client().serializer();
    await produce(
      admin,
      'companies',
      generator.companies().map((c) => ({ key: c.symbol, value: company.serialize('companies', c)! })),
    );
    await produce(
      admin,
      'clients',
      generator.clients().map((c) => ({ key: c.customerId, value: client.serialize('clients', c)! })),
    );
    const trade = generator.nextTransaction();
    const total = (traded.get(trade.symbol) ?? 0) + trade.shares;
    traded.set(trade.symbol, total);
    const wire = GmartSerdes.StockTransaction().serializer().serialize('stock-transactions', trade)!;
    const [volume] = await recordsAfter(admin, 'share-volume', 1, () =>
      produce(admin, 'stock-transactions', [{ key: trade.symbol, value: wire }]),
    );
    expect(volume!.key!.toString()).toBe(trade.symbol);
    expect(GmartSerdes.ShareVolume().deserializer().deserialize('share-volume', volume!.value)).toEqual({
      symbol: trade.symbol,
      industry: trade.industry,
      shares: total,
    });
  },
});
