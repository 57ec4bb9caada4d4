import { GmartSerdes, type StockTransaction } from '@gmart/gmart';
import { Consumed, Serdes, StreamsBuilder } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { type TransactionCount, addTransactionCounts } from '../src';

const S = Serdes.String();
const T0 = Date.parse('2026-03-02T14:30:00.000Z');
const GRACE = 10_000;

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

async function driver() {
  const builder = new StreamsBuilder();
  const transactions = builder.stream('stock-transactions', Consumed.with(S, GmartSerdes.StockTransaction()));
  addTransactionCounts(
    transactions,
    {
      TRANSACTION_COUNTS_SESSION: 'transaction-counts-session',
      TRANSACTION_COUNTS_TUMBLING: 'transaction-counts-tumbling',
      TRANSACTION_COUNTS_HOPPING: 'transaction-counts-hopping',
    },
    GRACE,
  );
  const d = await TopologyTestDriver.create(builder.build(), { initialWallClockTimeMs: T0 });
  return { d, input: d.createInputTopic('stock-transactions', S, GmartSerdes.StockTransaction()) };
}

/**
 * Brute force of Kafka Streams' fixed windows: stream time is the largest timestamp seen so far
 * (this record included); a record counts in each window [start, start + size) holding it whose
 * end is after stream time minus the grace period, and is dropped from the others.
 */
function windowModel(records: { key: string; ts: number }[], size: number, advance: number) {
  const counts = new Map<string, number>();
  let streamTime = -Infinity;
  for (const r of records) {
    streamTime = Math.max(streamTime, r.ts);
    const firstStart = Math.max(0, Math.floor((r.ts - size) / advance + 1) * advance);
    for (let start = firstStart; start <= r.ts; start += advance) {
      if (start + size > streamTime - GRACE) {
        const k = `${r.key}@${start}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/**
 * Brute force of Kafka Streams' session windows (`KStreamSessionWindowAggregate`): a record at `ts`
 * merges every session of its key ending at or after `ts - gap` and starting at or before
 * `ts + gap`; it is dropped when the merged session ends before stream time minus grace minus gap.
 * Returns the last value of every session ever created: its count, or `null` once merged away.
 * (The stores keep sessions 15 min, longer than these records span: no expiry to model.)
 */
function sessionModel(records: { key: string; ts: number }[], gap: number) {
  const live = new Map<string, { start: number; end: number; count: number }[]>();
  const last = new Map<string, number | null>();
  let streamTime = -Infinity;
  for (const r of records) {
    streamTime = Math.max(streamTime, r.ts);
    const sessions = live.get(r.key) ?? [];
    const merged = sessions.filter((s) => s.end >= r.ts - gap && s.start <= r.ts + gap);
    const start = Math.min(r.ts, ...merged.map((s) => s.start));
    const end = Math.max(r.ts, ...merged.map((s) => s.end));
    if (end < streamTime - GRACE - gap) continue;
    for (const s of merged) last.set(`${r.key}@${s.start}-${s.end}`, null);
    const count = merged.reduce((n, s) => n + s.count, 0) + 1;
    live.set(r.key, [...sessions.filter((s) => !merged.includes(s)), { start, end, count }]);
    last.set(`${r.key}@${start}-${end}`, count);
  }
  return last;
}

describe('customer transaction counts in session, tumbling and hopping windows', () => {
  it('session (20 s gap), tumbling (20 s) and hopping (20 s by 5 s) counts match brute-force models, late records included', async () => {
    const { d, input } = await driver();
    const rnd = lcg(5);
    const records: { key: string; ts: number }[] = [];
    let t = T0;
    for (let i = 0; i < 400; i++) {
      t += Math.floor(rnd() * 1500);
      // One in eight arrives out of order, up to 45 s back: some within the grace period, some after (also for sessions, whose records close 20 s later).
      const ts = rnd() < 0.125 ? t - Math.floor(rnd() * 45_000) : t;
      const customerId = `C-${Math.floor(rnd() * 3)}`;
      const symbol = ['XRX', 'KO'][Math.floor(rnd() * 2)]!;
      records.push({ key: `${customerId}|${symbol}`, ts });
      input.pipeInput(symbol, tx(customerId, symbol, ts), ts);
    }
    for (const [kind, size, advance] of [
      ['tumbling', 20_000, 20_000],
      ['hopping', 20_000, 5_000],
    ] as const) {
      const expected = windowModel(records, size, advance);
      // The last update of every window on the output topic is its count.
      const got = new Map<string, number>();
      for (const kv of d
        .createOutputTopic(`transaction-counts-${kind}`, S, Serdes.Json<TransactionCount>())
        .readKeyValuesToList()) {
        const v = kv.value as TransactionCount;
        got.set(`${kv.key}@${v.windowStart}`, v.count!);
      }
      expect({ kind, counts: Object.fromEntries([...got].sort()) }).toEqual({
        kind,
        counts: Object.fromEntries([...expected].sort()),
      });
    }
    const sessions = new Map<string, number | null>();
    for (const kv of d
      .createOutputTopic('transaction-counts-session', S, Serdes.Json<TransactionCount>())
      .readKeyValuesToList()) {
      const v = kv.value as TransactionCount;
      expect(kv.key).toBe(`${v.customerId}|${v.stockTicker}`);
      sessions.set(`${kv.key}@${v.windowStart}-${v.windowEnd}`, v.count);
    }
    const expectedSessions = sessionModel(records, 20_000);
    expect(Object.fromEntries([...sessions].sort())).toEqual(
      Object.fromEntries([...expectedSessions].sort()),
    );
    // Sessions did merge (the seed's out-of-order record joining two sessions included) and some
    // records were too late even for a session.
    expect([...expectedSessions.values()].filter((c) => c === null).length).toBeGreaterThan(5);
    const liveTotal = [...expectedSessions.values()].reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(liveTotal).toBeLessThan(records.length);
    // Some records really were too late (the test exercises the grace period).
    const tumblingTotal = [...windowModel(records, 20_000, 20_000).values()].reduce((a, b) => a + b, 0);
    expect(tumblingTotal).toBeLessThan(records.length);
    expect(tumblingTotal).toBeGreaterThan(records.length * 0.8);
    d.close();
  });
});
