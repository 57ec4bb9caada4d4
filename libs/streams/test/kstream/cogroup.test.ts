import type { Serde } from '../../src';
import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Named,
  Produced,
  Serdes,
  SessionWindows,
  StreamsBuilder,
  TimeWindows,
  WindowedSerdes,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { pick, seededRandom } from './dsl-test-helpers';

const S = Serdes.String();
const I = Serdes.Integer();
const agg = (_k: string, v: string, a: string) => a + v;

describe('cogroup: topology as Kafka Streams builds it (CogroupedKStreamImplTest)', () => {
  it('names the repartition topic after Grouped.as, the store, processors and merge node by index', () => {
    const b = new StreamsBuilder();
    const one = b.stream('one', Consumed.with(S, S));
    const two = b.stream('two', Consumed.with(S, S));
    const groupedOne = one.map((k, v) => KeyValue.pair(v, k)).groupByKey(Grouped.as('repartition-test'));
    const groupedTwo = two.groupByKey();
    groupedOne
      .cogroup(agg)
      .cogroup(groupedTwo, agg)
      .aggregate(() => '')
      .toStream()
      .to('output');
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [one])\n' +
        '      --> KSTREAM-MAP-0000000002\n' +
        '    Processor: KSTREAM-MAP-0000000002 (stores: [])\n' +
        '      --> repartition-test-repartition-filter\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: repartition-test-repartition-filter (stores: [])\n' +
        '      --> repartition-test-repartition-sink\n' +
        '      <-- KSTREAM-MAP-0000000002\n' +
        '    Sink: repartition-test-repartition-sink (topic: repartition-test-repartition)\n' +
        '      <-- repartition-test-repartition-filter\n\n' +
        '  Sub-topology: 1\n' +
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [two])\n' +
        '      --> COGROUPKSTREAM-AGGREGATE-0000000008\n' +
        '    Source: repartition-test-repartition-source (topics: [repartition-test-repartition])\n' +
        '      --> COGROUPKSTREAM-AGGREGATE-0000000007\n' +
        '    Processor: COGROUPKSTREAM-AGGREGATE-0000000007 (stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000003])\n' +
        '      --> COGROUPKSTREAM-MERGE-0000000009\n' +
        '      <-- repartition-test-repartition-source\n' +
        '    Processor: COGROUPKSTREAM-AGGREGATE-0000000008 (stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000003])\n' +
        '      --> COGROUPKSTREAM-MERGE-0000000009\n' +
        '      <-- KSTREAM-SOURCE-0000000001\n' +
        '    Processor: COGROUPKSTREAM-MERGE-0000000009 (stores: [])\n' +
        '      --> KTABLE-TOSTREAM-0000000010\n' +
        '      <-- COGROUPKSTREAM-AGGREGATE-0000000007, COGROUPKSTREAM-AGGREGATE-0000000008\n' +
        '    Processor: KTABLE-TOSTREAM-0000000010 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000011\n' +
        '      <-- COGROUPKSTREAM-MERGE-0000000009\n' +
        '    Sink: KSTREAM-SINK-0000000011 (topic: output)\n' +
        '      <-- KTABLE-TOSTREAM-0000000010\n\n',
    );
  });

  it('Named pins the processor names (suffixed -cogroup-agg-<i> and -cogroup-merge), Materialized.as the store', () => {
    const b = new StreamsBuilder();
    const groupedOne = b.stream('one', Consumed.with(S, S)).groupByKey();
    const groupedTwo = b.stream('two', Consumed.with(S, S)).groupByKey();
    groupedOne
      .cogroup(agg)
      .cogroup(groupedTwo, agg)
      .aggregate(() => '', Materialized.as('store'), Named.as('test'))
      .toStream()
      .to('output');
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [one])\n' +
        '      --> test-cogroup-agg-0\n' +
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [two])\n' +
        '      --> test-cogroup-agg-1\n' +
        '    Processor: test-cogroup-agg-0 (stores: [store])\n' +
        '      --> test-cogroup-merge\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Processor: test-cogroup-agg-1 (stores: [store])\n' +
        '      --> test-cogroup-merge\n' +
        '      <-- KSTREAM-SOURCE-0000000001\n' +
        '    Processor: test-cogroup-merge (stores: [])\n' +
        '      --> KTABLE-TOSTREAM-0000000005\n' +
        '      <-- test-cogroup-agg-0, test-cogroup-agg-1\n' +
        '    Processor: KTABLE-TOSTREAM-0000000005 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000006\n' +
        '      <-- test-cogroup-merge\n' +
        '    Sink: KSTREAM-SINK-0000000006 (topic: output)\n' +
        '      <-- KTABLE-TOSTREAM-0000000005\n\n',
    );
  });
});

/**
 * Brute-force model: a customer's activity `{ clicks, spent, refunds }` folded over three streams in
 * arrival order: clicks (keyed by customer), purchases (keyed by customer) and refunds (keyed by
 * order, re-keyed to the customer by `groupBy`, so through a repartition topic). Null values are
 * skipped, as Kafka Streams' `KStreamAggregate` does.
 */
describe('cogroup against a brute-force model', () => {
  interface Activity {
    clicks: number;
    spent: number;
    refunds: number;
  }
  const ActivitySerde = Serdes.Json<Activity>();
  type Ev =
    | { topic: 'clicks'; key: string; value: string | null; ts: number }
    | { topic: 'purchases'; key: string; value: number | null; ts: number }
    | { topic: 'refunds'; key: string; value: string; ts: number }; // key: order id; value `customer:amount`

  function generate(seed: number, n: number): Ev[] {
    const rnd = seededRandom(seed);
    const events: Ev[] = [];
    for (let i = 0; i < n; i++) {
      const customer = `c${pick(rnd, 6)}`;
      const ts = 1_000 + i * 10 - pick(rnd, 50);
      const r = rnd();
      if (r < 0.45) events.push({ topic: 'clicks', key: customer, value: rnd() < 0.05 ? null : 'x', ts });
      else if (r < 0.85)
        events.push({
          topic: 'purchases',
          key: customer,
          value: rnd() < 0.05 ? null : 1 + pick(rnd, 100),
          ts,
        });
      else events.push({ topic: 'refunds', key: `o${i}`, value: `${customer}:${1 + pick(rnd, 20)}`, ts });
    }
    return events;
  }

  function build(caching: boolean) {
    const b = new StreamsBuilder();
    const clicks = b.stream('clicks', Consumed.with(S, S)).groupByKey();
    const purchases = b.stream('purchases', Consumed.with(S, I)).groupByKey(Grouped.with(S, I));
    const refunds = b
      .stream('refunds', Consumed.with(S, S))
      .groupBy(
        (_order, v) => v.split(':')[0]!,
        Grouped.with<string, string>(S, S).withName('refunds-by-customer'),
      );
    const m = Materialized.as<string, Activity>('activity').withValueSerde(ActivitySerde);
    clicks
      .cogroup<Activity>((_k, _v, a) => ({ ...a, clicks: a.clicks + 1 }))
      .cogroup(purchases, (_k, amount, a) => ({ ...a, spent: a.spent + amount }))
      .cogroup(refunds, (_k, v, a) => ({ ...a, refunds: a.refunds + Number(v.split(':')[1]) }))
      .aggregate(() => ({ clicks: 0, spent: 0, refunds: 0 }), caching ? m : m.withCachingDisabled())
      .toStream()
      .to('activity-out', Produced.with(S, ActivitySerde));
    return b;
  }

  it.each([
    [1, false],
    [2, false],
    [3, true],
  ])('seed %d, caching %s: the updates and the store equal the model fold', async (seed, caching) => {
    const events = generate(seed, 300);
    const b = build(caching);
    const d = await TopologyTestDriver.create(b.build());
    try {
      const inClicks = d.createInputTopic('clicks', S, S);
      const inPurchases = d.createInputTopic('purchases', S, I);
      const inRefunds = d.createInputTopic('refunds', S, S);
      const model = new Map<string, Activity>();
      const updates: Array<[string, Activity, number]> = [];
      const maxTs = new Map<string, number>();
      for (const e of events) {
        if (e.topic === 'clicks') inClicks.pipeInput(e.key, e.value, e.ts);
        else if (e.topic === 'purchases') inPurchases.pipeInput(e.key, e.value, e.ts);
        else inRefunds.pipeInput(e.key, e.value, e.ts);
        if (e.value === null) continue;
        const customer = e.topic === 'refunds' ? e.value.split(':')[0]! : e.key;
        const a = model.get(customer) ?? { clicks: 0, spent: 0, refunds: 0 };
        const next =
          e.topic === 'clicks'
            ? { ...a, clicks: a.clicks + 1 }
            : e.topic === 'purchases'
              ? { ...a, spent: a.spent + (e.value as number) }
              : { ...a, refunds: a.refunds + Number(e.value.split(':')[1]) };
        model.set(customer, next);
        maxTs.set(customer, Math.max(maxTs.get(customer) ?? -Infinity, e.ts));
        updates.push([customer, next, maxTs.get(customer)!]);
      }
      const out = d
        .createOutputTopic('activity-out', S, ActivitySerde)
        .readRecordsToList()
        .map((r) => [r.key!, r.value!, r.timestamp] as [string, Activity, number]);
      // the driver commits after every input record: one update per accepted record either way
      expect(out).toEqual(updates);
      const store = d.getKeyValueStore<string, Activity>('activity')!;
      for (const [customer, a] of model) expect(store.get(customer)).toEqual(a);
      expect(d.droppedRecords().null_key_or_value).toBe(events.filter((e) => e.value === null).length);
      expect([...d.producedTopicNames()].sort()).toEqual([
        'test-driver-activity-changelog',
        'test-driver-refunds-by-customer-repartition',
      ]);
    } finally {
      await d.close();
    }
  });

  it('windowed: tumbling windows with grace over two streams equal the model, late records dropped', async () => {
    const size = 100;
    const grace = 50;
    const rnd = seededRandom(7);
    const events: Array<{ topic: 'a' | 'b'; key: string; value: number; ts: number }> = [];
    let t = 0;
    for (let i = 0; i < 400; i++) {
      t += pick(rnd, 8);
      const ts = Math.max(0, t - pick(rnd, rnd() < 0.1 ? 400 : 60));
      events.push({ topic: rnd() < 0.5 ? 'a' : 'b', key: `k${pick(rnd, 4)}`, value: 1 + pick(rnd, 9), ts });
    }
    const b = new StreamsBuilder();
    const ga = b.stream('a', Consumed.with(S, I)).groupByKey(Grouped.with(S, I));
    const gb = b.stream('b', Consumed.with(S, I)).groupByKey(Grouped.with(S, I));
    ga.cogroup<string>((_k, v, s) => `${s}a${v}`)
      .cogroup(gb, (_k, v, s) => `${s}b${v}`)
      .windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
      .aggregate(() => '', Materialized.as<string, string>('win').withValueSerde(S).withCachingDisabled())
      .toStream()
      .to('win-out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, size), S));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const inA = d.createInputTopic('a', S, I);
      const inB = d.createInputTopic('b', S, I);
      const model = new Map<string, string>();
      let streamTime = -1;
      let late = 0;
      for (const e of events) {
        (e.topic === 'a' ? inA : inB).pipeInput(e.key, e.value, e.ts);
        streamTime = Math.max(streamTime, e.ts);
        const start = Math.floor(e.ts / size) * size;
        if (start + size <= streamTime - grace) {
          late++;
          continue;
        }
        const id = `${e.key}@${start}`;
        model.set(id, (model.get(id) ?? '') + `${e.topic}${e.value}`);
      }
      const last = new Map<string, string>();
      for (const r of d
        .createOutputTopic('win-out', WindowedSerdes.timeWindowedSerdeFrom(S, size), S)
        .readRecordsToList())
        last.set(`${r.key!.key()}@${r.key!.window().start()}`, r.value!);
      expect(new Map([...last].sort())).toEqual(new Map([...model].sort()));
      expect(late).toBeGreaterThan(0);
      expect(d.droppedRecords().late).toBe(late);
    } finally {
      await d.close();
    }
  });

  it('session windowed: a record of either stream extends or merges the key’s sessions', async () => {
    const b = new StreamsBuilder();
    const ga = b.stream('a', Consumed.with(S, I)).groupByKey(Grouped.with(S, I));
    const gb = b.stream('b', Consumed.with(S, I)).groupByKey(Grouped.with(S, I));
    ga.cogroup<number>((_k, v, s) => s + v)
      .cogroup(gb, (_k, v, s) => s + 100 * v)
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(20, 100))
      .aggregate(
        () => 0,
        (_k, x, y) => x + y,
        Materialized.as<string, number>('sess').withValueSerde(I).withCachingDisabled(),
      )
      .toStream()
      .to('sess-out', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), I as Serde<number>));
    const d = await TopologyTestDriver.create(b.build());
    try {
      d.createInputTopic('a', S, I).pipeInput('k', 1, 0);
      d.createInputTopic('b', S, I).pipeInput('k', 2, 30);
      d.createInputTopic('a', S, I).pipeInput('k', 3, 15); // bridges [0,0] and [30,30]
      const out = d
        .createOutputTopic('sess-out', WindowedSerdes.sessionWindowedSerdeFrom(S), I)
        .readRecordsToList()
        .map((r) => [r.key!.window().start(), r.key!.window().end(), r.value]);
      expect(out).toEqual([
        [0, 0, 1],
        [30, 30, 200],
        [0, 0, null],
        [30, 30, null],
        [0, 30, 204],
      ]);
    } finally {
      await d.close();
    }
  });
});
