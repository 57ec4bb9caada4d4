import type { Serde } from '../../src';
import { Consumed, Grouped, KeyValue, Materialized, Produced, Serdes, StreamsBuilder } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores } from '../../src/state';
import { pick, seededRandom, triples } from './dsl-test-helpers';

/**
 * Property tests: seeded random keyed events, out of order, against a brute-force model of Kafka
 * Streams' semantics written here (KStreamAggregate/KStreamReduce, KTableAggregate with the
 * subtractor applied to the old value before the adder to the new one). The driver commits after
 * every input record, so each input's updates are forwarded before the next one.
 */

/** In-memory stores keep these many-record runs fast; the persistent default is covered in ktable.test.ts. */
const mem = (name: string) => Stores.inMemoryKeyValueStore(name);
const S = Serdes.String();
const I = Serdes.Integer();
/** Counts are numbers; Kafka's 8-byte Long format reads back as a number for safe integers. */
const LONG = Serdes.Long() as Serde<number>;

interface Event {
  group: string;
  amount: number;
}
const EVENT = Serdes.Json<Event>();

type Out = [string | null, unknown, number];

describe.each([
  ['caching on', true],
  ['caching off', false],
])('KGroupedStream against a brute-force model (%s)', (_label, caching) => {
  const cache = <K, V>(m: Materialized<K, V>) => (caching ? m : m.withCachingDisabled());

  it.each([1, 2, 3])('groupBy with repartition: count, reduce and aggregate (seed %i)', async (seed) => {
    const b = new StreamsBuilder();
    const grouped = b
      .stream('events', Consumed.with(S, EVENT))
      .groupBy((_user, e) => e.group, Grouped.with(S, EVENT));
    grouped
      .count(cache(Materialized.as(mem('count'))))
      .toStream()
      .to('count-out', Produced.with(S, LONG));
    grouped
      .reduce((a, e) => ({ group: a.group, amount: a.amount + e.amount }), cache(Materialized.as(mem('sum'))))
      .toStream()
      .mapValues((e) => e.amount)
      .to('sum-out', Produced.with(S, I));
    grouped
      .aggregate<string>(
        () => '',
        (_g, e, agg) => `${agg}${e.amount},`,
        cache(Materialized.as<string, string>(mem('list')).withValueSerde(S)),
      )
      .toStream()
      .to('list-out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'model' });
    try {
      const rng = seededRandom(seed);
      const input = d.createInputTopic('events', S, EVENT);
      const counts = new Map<string, { n: number; sum: number; list: string; ts: number }>();
      const expected = { count: [] as Out[], sum: [] as Out[], list: [] as Out[] };
      for (let i = 0; i < 300; i++) {
        const e = { group: `g${pick(rng, 5)}`, amount: pick(rng, 100) };
        const ts = pick(rng, 10_000); // out of order on purpose
        input.pipeInput(`user${pick(rng, 7)}`, e, ts);
        const cur = counts.get(e.group);
        const next = cur
          ? {
              n: cur.n + 1,
              sum: cur.sum + e.amount,
              list: `${cur.list}${e.amount},`,
              ts: Math.max(cur.ts, ts),
            }
          : { n: 1, sum: e.amount, list: `${e.amount},`, ts };
        counts.set(e.group, next);
        expected.count.push([e.group, next.n, next.ts]);
        expected.sum.push([e.group, next.sum, next.ts]);
        expected.list.push([e.group, next.list, next.ts]);
      }
      expect(triples(d.createOutputTopic('count-out', S, LONG))).toEqual(expected.count);
      expect(triples(d.createOutputTopic('sum-out', S, I))).toEqual(expected.sum);
      expect(triples(d.createOutputTopic('list-out', S, S))).toEqual(expected.list);
      const store = d.getKeyValueStore<string, number>('count')!;
      for (const [g, v] of counts) expect(store.get(g)).toBe(v.n);
      expect(d.producedTopicNames()).toEqual(
        expect.arrayContaining([
          'model-count-repartition',
          'model-sum-repartition',
          'model-list-repartition',
        ]),
      );
    } finally {
      await d.close();
    }
  });

  it('groupByKey skips null keys and null values and counts them as dropped', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, I))
      .groupByKey()
      .reduce((a, v) => a + v, cache(Materialized.with(S, I)))
      .toStream()
      .to('out', Produced.with(S, I));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const rng = seededRandom(7);
      const input = d.createInputTopic('in', S, I);
      const sums = new Map<string, { v: number; ts: number }>();
      const expected: Out[] = [];
      let dropped = 0;
      for (let i = 0; i < 200; i++) {
        const r = pick(rng, 10);
        const key = r === 0 ? null : `k${pick(rng, 4)}`;
        const value = r === 1 ? null : pick(rng, 50) - 25;
        const ts = pick(rng, 1000);
        input.pipeInput(key, value, ts);
        if (key === null || value === null) {
          dropped++;
          continue;
        }
        const cur = sums.get(key);
        const next = cur ? { v: cur.v + value, ts: Math.max(cur.ts, ts) } : { v: value, ts };
        sums.set(key, next);
        expected.push([key, next.v, next.ts]);
      }
      expect(triples(d.createOutputTopic('out', S, I))).toEqual(expected);
      expect(d.droppedRecords().null_key_or_value).toBe(dropped);
    } finally {
      await d.close();
    }
  });
});

interface Row {
  group: string;
  amount: number;
}
const ROW = Serdes.Json<Row>();

describe.each([
  ['caching on', true],
  ['caching off', false],
])('KGroupedTable against a brute-force model (%s)', (_label, caching) => {
  it.each([11, 12, 13])(
    'updates move rows between groups, deletes subtract: aggregate, reduce and count (seed %i)',
    async (seed) => {
      const cache = <K, V>(m: Materialized<K, V>) => (caching ? m : m.withCachingDisabled());
      const b = new StreamsBuilder();
      const grouped = b
        .table('rows', Consumed.with(S, ROW), cache(Materialized.as<string, Row>(mem('rows-store'))))
        .groupBy((_id, row) => KeyValue.pair(row.group, row.amount), Grouped.with(S, I));
      grouped
        .aggregate<number>(
          () => 0,
          (_g, v, agg) => agg + v,
          (_g, v, agg) => agg - v,
          cache(Materialized.as<string, number>(mem('sum')).withValueSerde(I)),
        )
        .toStream()
        .to('sum-out', Produced.with(S, I));
      grouped
        .reduce(
          (a, v) => (a * 3 + v) % 1000003,
          (a, v) => a - v,
          cache(Materialized.as(mem('reduce'))),
        )
        .toStream()
        .to('reduce-out', Produced.with(S, I));
      grouped
        .count(cache(Materialized.as(mem('count'))))
        .toStream()
        .to('count-out', Produced.with(S, LONG));
      const d = await TopologyTestDriver.create(b.build(), { applicationId: 'tbl' });
      try {
        const rng = seededRandom(seed);
        const input = d.createInputTopic('rows', S, ROW);
        const table = new Map<string, Row>();
        const sum = new Map<string, { v: number; ts: number }>();
        const red = new Map<string, { v: number; ts: number }>();
        const cnt = new Map<string, { v: number; ts: number }>();
        const expected = { sum: [] as Out[], reduce: [] as Out[], count: [] as Out[] };
        /** One group's update: subtract `oldV` if given, then add `newV` if given (Kafka's KTableAggregate). */
        const apply = (
          state: Map<string, { v: number; ts: number }>,
          out: Out[],
          g: string,
          oldV: number | null,
          newV: number | null,
          ts: number,
          add: (agg: number | null, v: number) => number,
          sub: (agg: number, v: number) => number,
        ) => {
          const cur = state.get(g) ?? null;
          let agg = cur?.v ?? null;
          let t = ts;
          if (oldV !== null && agg !== null) {
            agg = sub(agg, oldV);
            t = Math.max(ts, cur!.ts);
          }
          if (newV !== null) {
            agg = add(agg, newV);
            if (cur) t = Math.max(ts, cur.ts);
          }
          state.set(g, { v: agg!, ts: t });
          out.push([g, agg, t]);
        };
        const all = (g: string, oldV: number | null, newV: number | null, ts: number) => {
          apply(
            sum,
            expected.sum,
            g,
            oldV,
            newV,
            ts,
            (a, v) => (a ?? 0) + v,
            (a, v) => a - v,
          );
          apply(
            red,
            expected.reduce,
            g,
            oldV,
            newV,
            ts,
            (a, v) => (a === null ? v : (a * 3 + v) % 1000003),
            (a, v) => a - v,
          );
          apply(
            cnt,
            expected.count,
            g,
            oldV,
            newV,
            ts,
            (a) => (a ?? 0) + 1,
            (a) => a - 1,
          );
        };
        for (let i = 0; i < 250; i++) {
          const id = `id${pick(rng, 8)}`;
          const del = pick(rng, 5) === 0;
          const row = del ? null : { group: `g${pick(rng, 3)}`, amount: pick(rng, 20) };
          const ts = pick(rng, 5000);
          input.pipeInput(id, row, ts);
          const old = table.get(id) ?? null;
          if (row === null) table.delete(id);
          else table.set(id, row);
          if (old && row && old.group === row.group) all(row.group, old.amount, row.amount, ts);
          else {
            if (old) all(old.group, old.amount, null, ts);
            if (row) all(row.group, null, row.amount, ts);
          }
        }
        expect(triples(d.createOutputTopic('sum-out', S, I))).toEqual(expected.sum);
        expect(triples(d.createOutputTopic('reduce-out', S, I))).toEqual(expected.reduce);
        expect(triples(d.createOutputTopic('count-out', S, LONG))).toEqual(expected.count);
        // The final state is the recomputation from the final table.
        const finalSums = new Map<string, number>();
        for (const r of table.values()) finalSums.set(r.group, (finalSums.get(r.group) ?? 0) + r.amount);
        const store = d.getKeyValueStore<string, number>('sum')!;
        for (const g of sum.keys()) expect(store.get(g)).toBe(finalSums.get(g) ?? 0);
      } finally {
        await d.close();
      }
    },
  );
});

describe('default serdes', () => {
  it('an aggregation without serdes uses the configured default serdes for its store and repartition topic', async () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('in')
      .groupBy((_k, v) => v)
      .reduce((a, v) => a + v)
      .toStream()
      .to('out');
    const d = await TopologyTestDriver.create(b.build(), { defaultKeySerde: S, defaultValueSerde: S });
    try {
      const input = d.createInputTopic('in', S, S);
      input.pipeInput('a', 'x', 1);
      input.pipeInput('b', 'x', 2);
      expect(triples(d.createOutputTopic('out', S, S))).toEqual([
        ['x', 'x', 1],
        ['x', 'xx', 2],
      ]);
    } finally {
      await d.close();
    }
  });
});
