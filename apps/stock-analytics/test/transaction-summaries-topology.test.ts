import {
  type Client,
  type Company,
  GmartSerdes,
  type StockTransaction,
  type TransactionSummary,
} from '@gmart/gmart';
import { Consumed, Serdes, StreamsBuilder } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { UNKNOWN_INDUSTRY, addTransactionCounts, addTransactionSummaries } from '../src';

const S = Serdes.String();
const T0 = Date.parse('2026-03-02T14:30:00.000Z');
const GRACE = 10_000;
const GAP = 20_000;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function tx(customerId: string, symbol: string, ts: number): StockTransaction {
  return {
    symbol,
    sector: 's',
    industry: 'i',
    shares: 1,
    sharePrice: 1,
    customerId,
    transactionTimestamp: ts,
    purchase: true,
  };
}

describe('transaction summaries: session counts enriched from the companies and clients GlobalKTables', () => {
  it('every session count update leaves with the names the two tables hold at that moment', async () => {
    const builder = new StreamsBuilder();
    const transactions = builder.stream(
      'stock-transactions',
      Consumed.with(S, GmartSerdes.StockTransaction()),
    );
    const sessions = addTransactionCounts(
      transactions,
      {
        TRANSACTION_COUNTS_SESSION: 'transaction-counts-session',
        TRANSACTION_COUNTS_TUMBLING: 'transaction-counts-tumbling',
        TRANSACTION_COUNTS_HOPPING: 'transaction-counts-hopping',
      },
      GRACE,
    );
    addTransactionSummaries(builder, sessions, {
      COMPANIES: 'companies',
      CLIENTS: 'clients',
      TRANSACTION_SUMMARIES: 'transaction-summaries',
    });
    const d = await TopologyTestDriver.create(builder.build(), { initialWallClockTimeMs: T0 });
    try {
      const input = d.createInputTopic('stock-transactions', S, GmartSerdes.StockTransaction());
      const companiesIn = d.createInputTopic('companies', S, GmartSerdes.Company());
      const clientsIn = d.createInputTopic('clients', S, GmartSerdes.Client());
      const out = d.createOutputTopic('transaction-summaries', S, GmartSerdes.TransactionSummary());

      // The brute-force model: the reference tables as maps, the sessions as in Kafka Streams.
      const companies = new Map<string, Company>();
      const clients = new Map<string, Client>();
      const sessions = new Map<string, { start: number; end: number; count: number }[]>();
      const expected: { key: string; value: TransactionSummary }[] = [];
      let streamTime = -Infinity;

      const rnd = lcg(9);
      const symbols = ['XRX', 'KO', 'ACME'];
      const customers = ['C-1', 'C-2', 'C-3'];
      let t = T0;
      for (let i = 0; i < 300; i++) {
        const op = rnd();
        if (op < 0.05) {
          // A company appears or is renamed (until it appears, its summaries have no company name).
          const symbol = symbols[Math.floor(rnd() * symbols.length)]!;
          const c: Company = { symbol, name: `${symbol} Corp v${i}`, sector: 's', industry: `ind-${symbol}` };
          companiesIn.pipeInput(symbol, c, t);
          companies.set(symbol, c);
          continue;
        }
        if (op < 0.1) {
          const customerId = customers[Math.floor(rnd() * customers.length)]!;
          const c: Client = { customerId, name: `Client ${customerId} v${i}` };
          clientsIn.pipeInput(customerId, c, t);
          clients.set(customerId, c);
          continue;
        }
        t += Math.floor(rnd() * 4000);
        const ts = rnd() < 0.1 ? t - Math.floor(rnd() * 45_000) : t;
        const customerId = customers[Math.floor(rnd() * customers.length)]!;
        const symbol = symbols[Math.floor(rnd() * symbols.length)]!;
        input.pipeInput(symbol, tx(customerId, symbol, ts), ts);

        const key = `${customerId}|${symbol}`;
        streamTime = Math.max(streamTime, ts);
        const live = sessions.get(key) ?? [];
        const merged = live.filter((s) => s.end >= ts - GAP && s.start <= ts + GAP);
        const end = Math.max(ts, ...merged.map((s) => s.end));
        if (end < streamTime - GRACE - GAP) continue; // late: no count, no summary
        const start = Math.min(ts, ...merged.map((s) => s.start));
        const count = merged.reduce((n, s) => n + s.count, 0) + 1;
        sessions.set(key, [...live.filter((s) => !merged.includes(s)), { start, end, count }]);
        const company = companies.get(symbol);
        expected.push({
          key,
          value: {
            customerId,
            stockTicker: symbol,
            industry: company?.industry ?? UNKNOWN_INDUSTRY,
            summaryCount: count,
            customerName: clients.get(customerId)?.name ?? null,
            companyName: company?.name ?? null,
          },
        });
      }
      const got = out.readKeyValuesToList().map((kv) => ({ key: kv.key, value: kv.value }));
      expect(got).toEqual(expected);
      // The run exercised both sides: summaries with and without names, merged sessions, late trades.
      expect(expected.some((e) => e.value.companyName === null)).toBe(true);
      expect(expected.some((e) => e.value.companyName !== null && e.value.customerName !== null)).toBe(true);
      expect(expected.some((e) => e.value.summaryCount > 2)).toBe(true);
    } finally {
      d.close();
    }
  });
});
