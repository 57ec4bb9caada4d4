import { Consumed, JoinWindows, Produced, Serdes, StreamJoined, StreamsBuilder, Topology } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { seededRandom as rng } from '../helpers/seeded-random';

const S = Serdes.String();

interface Purchase {
  customerId: string;
  department: string;
  item: string;
  price: number;
}
const P = Serdes.Json<Purchase>();
const MIN = 60_000;

/** The seed's coupon program: coffee and electronics purchases of one customer within 20 minutes. */
function couponTopology(kind: 'join' | 'leftJoin' | 'outerJoin'): Topology {
  const b = new StreamsBuilder();
  const [coffee, electronics] = b
    .stream('transactions', Consumed.with(S, P))
    .branch(
      (_k, p) => p.department === 'coffee',
      (_k, p) => p.department === 'electronics',
    )
    .map((s) => s.selectKey((_k, p) => p.customerId));
  const joiner = (c: Purchase | null, e: Purchase | null) =>
    `${c?.item ?? 'none'}+${e?.item ?? 'none'}=${(c?.price ?? 0) + (e?.price ?? 0)}`;
  const windows = JoinWindows.ofTimeDifferenceAndGrace(20 * MIN, MIN);
  const joined = StreamJoined.with(S, P, P);
  const coupons =
    kind === 'join'
      ? coffee.join(electronics, joiner, windows, joined)
      : kind === 'leftJoin'
        ? coffee.leftJoin(electronics, joiner, windows, joined)
        : coffee.outerJoin(electronics, joiner, windows, joined);
  coupons.to('coupons', Produced.with(S, S));
  return b.build();
}

describe('stream-stream join (the seed coupon program)', () => {
  const t0 = Date.UTC(2026, 11, 5, 10, 0);
  const buy = (customerId: string, department: string, item: string, price: number) => ({
    customerId,
    department,
    item,
    price,
  });

  async function run(kind: 'join' | 'leftJoin' | 'outerJoin') {
    const d = await TopologyTestDriver.create(couponTopology(kind));
    const input = d.createInputTopic('transactions', S, P);
    input.pipeInput('t1', buy('c1', 'coffee', 'latte', 4), t0);
    input.pipeInput('t2', buy('c1', 'electronics', 'phone', 500), t0 + 18 * MIN); // within 20 min of t1
    input.pipeInput('t3', buy('c2', 'electronics', 'tv', 900), t0 + 18 * MIN + 30_000); // c2 never buys coffee
    input.pipeInput('t4', buy('c3', 'coffee', 'mocha', 5), t0 + 17 * MIN);
    input.pipeInput('t5', buy('c3', 'electronics', 'radio', 30), t0 + 38 * MIN); // 21 min later: no match
    // Out of order within the 1-minute grace: c1 coffee 30 s before the newest record, 19.5 min after the phone.
    input.pipeInput('t6', buy('c1', 'coffee', 'espresso', 3), t0 + 37 * MIN + 30_000);
    const before = d.createOutputTopic('coupons', S, S).readRecordsToList();
    // Closing every window: a record an hour later.
    input.pipeInput('t7', buy('c9', 'coffee', 'tea', 2), t0 + 120 * MIN);
    const after = d.createOutputTopic('coupons', S, S).readRecordsToList();
    const desc = couponTopology(kind).describe().toString();
    await d.close();
    const fmt = (rs: typeof before) => rs.map((r) => `${r.key}:${r.value}@${(r.timestamp - t0) / 1000}`);
    return { before: fmt(before), after: fmt(after), desc, dropped: d.droppedRecords() };
  }

  it('join: each pair within 20 minutes once, at the later timestamp; repartitions after selectKey', async () => {
    const r = await run('join');
    expect(r.before).toEqual(['c1:latte+phone=504@1080', 'c1:espresso+phone=503@2250']);
    expect(r.after).toEqual([]);
    expect(r.desc).toContain('KSTREAM-KEY-SELECT-0000000004-repartition');
    expect(r.desc).toContain('KSTREAM-KEY-SELECT-0000000005-repartition');
    expect(r.desc).toMatch(/KSTREAM-JOINTHIS-\d{10} \(stores: \[KSTREAM-JOINOTHER-\d{10}-store\]\)/);
  });

  it('leftJoin: unmatched coffee only after its window and grace closed, never before the match', async () => {
    const r = await run('leftJoin');
    // Up to t6 nothing unmatched is emitted: mocha's window (17..37 min + 1 min grace) is still open at 38 min.
    expect(r.before).toEqual(['c1:latte+phone=504@1080', 'c1:espresso+phone=503@2250']);
    expect(r.after).toEqual(['c3:mocha+none=5@1020']);
    expect(r.desc).toMatch(/KSTREAM-OUTERSHARED-\d{10}-store/);
  });

  it('outerJoin: unmatched purchases of both sides once each, in timestamp order, after close', async () => {
    const r = await run('outerJoin');
    expect(r.before).toEqual(['c1:latte+phone=504@1080', 'c1:espresso+phone=503@2250']);
    expect(r.after).toEqual(['c3:mocha+none=5@1020', 'c2:none+tv=900@1110', 'c3:none+radio=30@2280']);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests against a brute-force model.

interface Rec {
  side: 'L' | 'R';
  key: string;
  value: string;
  ts: number;
}

/** Records of both sides, arriving out of order by at most `grace` behind the newest timestamp. */
function generate(seed: number, n: number, keys: number, grace: number, step: number): Rec[] {
  const r = rng(seed);
  const out: Rec[] = [];
  let max = 1_000_000;
  for (let i = 0; i < n; i++) {
    const late = r() < 0.35;
    const ts = late ? max - Math.floor(r() * (grace + 1)) : max + Math.floor(r() * step);
    max = Math.max(max, ts);
    const side = r() < 0.5 ? 'L' : 'R';
    out.push({ side, key: `k${Math.floor(r() * keys)}`, value: `${side}${i}`, ts });
  }
  return out;
}

/**
 * What Kafka Streams emits, stated declaratively: every pair with `r.ts - l.ts` in
 * `[-before, after]` once at the later timestamp; for left/outer joins, a record no earlier record of
 * the other side matched is emitted unmatched (at its own timestamp) if it arrived after its
 * window's end (`ts + after < streamTime`), or else if no later record of the other side matched it.
 */
function model(recs: Rec[], before: number, after: number, kind: 'inner' | 'left' | 'outer'): string[] {
  const out: string[] = [];
  const matches = (l: Rec, r: Rec) => l.key === r.key && r.ts - l.ts >= -before && r.ts - l.ts <= after;
  let streamTime = -1;
  const arrivalStreamTime = recs.map((x) => (streamTime = Math.max(streamTime, x.ts)));
  recs.forEach((x) => {
    if (x.side !== 'L') return;
    recs.forEach((y) => {
      if (y.side === 'R' && matches(x, y)) out.push(`${x.key}|${x.value}+${y.value}|${Math.max(x.ts, y.ts)}`);
    });
  });
  const unmatched = (side: 'L' | 'R', reach: number) =>
    recs.forEach((x, i) => {
      if (x.side !== side) return;
      const m = (y: Rec) => y.side !== side && (side === 'L' ? matches(x, y) : matches(y, x));
      const earlier = recs.slice(0, i).some(m);
      const later = recs.slice(i + 1).some(m);
      if (!earlier && (x.ts + reach < arrivalStreamTime[i] || !later))
        out.push(side === 'L' ? `${x.key}|${x.value}+null|${x.ts}` : `${x.key}|null+${x.value}|${x.ts}`);
    });
  if (kind !== 'inner') unmatched('L', after);
  if (kind === 'outer') unmatched('R', before);
  return out.sort();
}

async function runJoin(
  recs: Rec[],
  windows: JoinWindows,
  kind: 'inner' | 'left' | 'outer',
): Promise<string[]> {
  const b = new StreamsBuilder();
  const left = b.stream('left', Consumed.with(S, S));
  const right = b.stream('right', Consumed.with(S, S));
  const joiner = (l: string | null, r: string | null) => `${l}+${r}`;
  const joined =
    kind === 'inner'
      ? left.join(right, joiner, windows, StreamJoined.with(S, S, S))
      : kind === 'left'
        ? left.leftJoin(right, joiner, windows, StreamJoined.with(S, S, S))
        : left.outerJoin(right, joiner, windows, StreamJoined.with(S, S, S));
  joined.to('out', Produced.with(S, S));
  const d = await TopologyTestDriver.create(b.build());
  const l = d.createInputTopic('left', S, S);
  const r = d.createInputTopic('right', S, S);
  for (const x of recs) (x.side === 'L' ? l : r).pipeInput(x.key, x.value, x.ts);
  // Closes every window (its own key never joins anything else).
  const end = Math.max(...recs.map((x) => x.ts)) + windows.size() + windows.graceMs + 10_000;
  l.pipeInput('flush', 'flush', end);
  const got = d
    .createOutputTopic('out', S, S)
    .readRecordsToList()
    .map((x) => `${x.key}|${x.value}|${x.timestamp}`);
  await d.close();
  return got.sort();
}

describe('stream-stream join against a brute-force model (seeded)', () => {
  const cases: Array<{
    seed: number;
    before: number;
    after: number;
    grace: number;
    n: number;
    keys: number;
  }> = [
    { seed: 1, before: 1000, after: 1000, grace: 200, n: 400, keys: 12 },
    { seed: 2, before: 500, after: 500, grace: 0, n: 400, keys: 8 },
    { seed: 3, before: 300, after: 300, grace: 900, n: 400, keys: 10 }, // grace > window: late records emit at once
    { seed: 4, before: 200, after: 1500, grace: 300, n: 400, keys: 10 }, // asymmetric
    { seed: 5, before: 2000, after: 0, grace: 100, n: 300, keys: 5 },
    { seed: 6, before: 50, after: 50, grace: 50, n: 500, keys: 3 },
  ];
  for (const c of cases) {
    for (const kind of ['inner', 'left', 'outer'] as const) {
      it(`${kind} seed=${c.seed} before=${c.before} after=${c.after} grace=${c.grace}`, async () => {
        const recs = generate(c.seed, c.n, c.keys, c.grace, 150);
        const windows = JoinWindows.ofTimeDifferenceAndGrace(0, c.grace).after(c.after).before(c.before);
        const got = await runJoin(recs, windows, kind);
        const expected = model(recs, c.before, c.after, kind);
        expect(expected.length).toBeGreaterThan(20);
        expect(got).toEqual(expected);
      });
    }
  }
});

describe('stream-stream join topology and edge cases', () => {
  it('describe() names nodes, stores and repartition topics as Kafka Streams does', () => {
    const b = new StreamsBuilder();
    const left = b.stream<string, string>('left').selectKey((_k, v) => v);
    const right = b.stream<string, string>('right');
    left.leftJoin(right, (a, c) => `${a}${c}`, JoinWindows.ofTimeDifferenceWithNoGrace(10)).to('out');
    const d = b.build().describe().toString();
    // Sources 0 and 2, selectKey 1; the repartition draws sink 3, filter 4, source 5; then the windowed
    // processors 6 and 7, the join processors 8 and 9 and the merge 10.
    expect(d).toContain(
      'Processor: KSTREAM-FILTER-0000000004 (stores: [])\n      --> KSTREAM-SINK-0000000003',
    );
    expect(d).toContain('Sink: KSTREAM-SINK-0000000003 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)');
    expect(d).toContain(
      'Source: KSTREAM-SOURCE-0000000005 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])',
    );
    expect(d).toContain(
      'Processor: KSTREAM-WINDOWED-0000000006 (stores: [KSTREAM-JOINTHIS-0000000008-store])',
    );
    expect(d).toContain(
      'Processor: KSTREAM-JOINTHIS-0000000008 (stores: [KSTREAM-OUTEROTHER-0000000009-store, KSTREAM-OUTERSHARED-0000000008-store])',
    );
    expect(d).toContain('Processor: KSTREAM-MERGE-0000000010 (stores: [])');
  });

  it('StreamJoined names: processors, stores and repartition topics from withName/withStoreName', () => {
    const b = new StreamsBuilder();
    const left = b.stream<string, string>('left').map((k, v) => [v, k] as const);
    const right = b.stream<string, string>('right').selectKey((_k, v) => v);
    left
      .outerJoin(
        right,
        (a, c) => `${a}${c}`,
        JoinWindows.ofTimeDifferenceWithNoGrace(10),
        StreamJoined.with(S, S, S).withName('coupon').withStoreName('cj'),
      )
      .to('out');
    const d = b.build().describe().toString();
    expect(d).toContain('Sink: coupon-left-repartition-sink (topic: coupon-left-repartition)');
    expect(d).toContain('Sink: coupon-right-repartition-sink (topic: coupon-right-repartition)');
    expect(d).toContain(
      'Processor: coupon-outer-this-join (stores: [cj-outer-other-join-store, cj-outer-shared-join-store])',
    );
    expect(d).toContain('Processor: coupon-merge');
  });

  it('null keys or values: inner join drops and counts them; left join emits a null-key left record', async () => {
    for (const kind of ['join', 'leftJoin'] as const) {
      const b = new StreamsBuilder();
      const l = b.stream('l', Consumed.with(S, S));
      const r = b.stream('r', Consumed.with(S, S));
      const joiner = (a: string, c: string | null) => `${a}+${c}`;
      const w = JoinWindows.ofTimeDifferenceWithNoGrace(100);
      (kind === 'join'
        ? l.join(r, joiner, w, StreamJoined.with(S, S, S))
        : l.leftJoin(r, joiner, w, StreamJoined.with(S, S, S))
      ).to('out', Produced.with(S, S));
      const d = await TopologyTestDriver.create(b.build());
      const li = d.createInputTopic('l', S, S);
      const ri = d.createInputTopic('r', S, S);
      ri.pipeInput('a', 'r1', 1000);
      li.pipeInput(null, 'x', 1000);
      li.pipeInput('a', null, 1000);
      ri.pipeInput(null, 'y', 1000);
      li.pipeInput('a', 'l1', 1050);
      const out = d
        .createOutputTopic('out', S, S)
        .readKeyValuesToList()
        .map((kv) => `${kv.key}:${kv.value}`);
      const dropped = d.droppedRecords();
      await d.close();
      if (kind === 'join') {
        expect(out).toEqual(['a:l1+r1']);
        expect(dropped).toEqual({ null_key_or_value: 3 });
      } else {
        expect(out).toEqual(['null:x+null', 'a:l1+r1']);
        expect(dropped).toEqual({ null_key_or_value: 2 });
      }
    }
  });

  it('rejects store suppliers that do not match the windows', () => {
    const b = new StreamsBuilder();
    const { Stores } = jest.requireActual('../../src');
    expect(() =>
      b
        .stream<string, string>('l')
        .join(
          b.stream<string, string>('r'),
          (a, c) => a + c,
          JoinWindows.ofTimeDifferenceWithNoGrace(10),
          StreamJoined.withStoreSuppliers(
            Stores.inMemoryWindowStore('a', 20, 20, false),
            Stores.inMemoryWindowStore('b', 20, 20, true),
          ),
        ),
    ).toThrow(/retain duplicates/);
  });
});
