import type { Serde } from '../../src';
import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Named,
  Produced,
  Serdes,
  StreamsBuilder,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores } from '../../src/state';
import { triples } from './dsl-test-helpers';

const S = Serdes.String();
/** Counts are numbers; Kafka's 8-byte Long format reads back as a number for safe integers. */
const LONG = Serdes.Long() as Serde<number>;

interface Ticker {
  symbol: string;
  price: number;
}

describe('StreamsBuilder.table and KTable operators through the test driver', () => {
  it('the seed ticker: a materialized KTable forwards every update, is queryable, and logs to its changelog', async () => {
    const b = new StreamsBuilder();
    const table = b.table(
      'stock-ticker-table',
      Consumed.with(S, Serdes.Json<Ticker>()),
      Materialized.as('ticker-store'),
    );
    expect(table.queryableStoreName()).toBe('ticker-store');
    table.toStream().to('ticker-out', Produced.with(S, Serdes.Json<Ticker>()));
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'ticker' });
    try {
      const input = d.createInputTopic('stock-ticker-table', S, Serdes.Json<Ticker>());
      input.pipeInput('YERB', { symbol: 'YERB', price: 105.24 }, 1);
      input.pipeInput('AUNA', { symbol: 'AUNA', price: 53.12 }, 2);
      input.pipeInput('YERB', { symbol: 'YERB', price: 106.67 }, 3);
      input.pipeInput(null, { symbol: '?', price: 1 }, 4); // null key: dropped
      input.pipeInput('AUNA', null, 5); // delete
      const out = d.createOutputTopic('ticker-out', S, Serdes.Json<Ticker>());
      expect(triples(out)).toEqual([
        ['YERB', { symbol: 'YERB', price: 105.24 }, 1],
        ['AUNA', { symbol: 'AUNA', price: 53.12 }, 2],
        ['YERB', { symbol: 'YERB', price: 106.67 }, 3],
        ['AUNA', null, 5],
      ]);
      const store = d.getKeyValueStore<string, Ticker>('ticker-store')!;
      expect(store.get('YERB')).toEqual({ symbol: 'YERB', price: 106.67 });
      expect(store.get('AUNA')).toBeUndefined();
      expect(d.droppedRecords()).toEqual({ null_key_or_value: 1 });
      expect(d.producedTopicNames()).toContain('ticker-ticker-store-changelog');
    } finally {
      await d.close();
    }
  });

  it('filter turns a row that does not pass into a delete downstream (Kafka Streams emits the tombstone)', async () => {
    const b = new StreamsBuilder();
    b.table('prices', Consumed.with(S, Serdes.Integer()))
      .filter((_k, v) => v > 10)
      .toStream()
      .to('out', Produced.with(S, Serdes.Integer()));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const input = d.createInputTopic('prices', S, Serdes.Integer());
      input.pipeInput('a', 5, 1);
      input.pipeInput('a', 20, 2);
      input.pipeInput('b', 30, 3);
      input.pipeInput('a', 3, 4);
      const out = d.createOutputTopic('out', S, Serdes.Integer());
      expect(triples(out)).toEqual([
        ['a', null, 1],
        ['a', 20, 2],
        ['b', 30, 3],
        ['a', null, 4],
      ]);
    } finally {
      await d.close();
    }
  });

  it('filterNot and mapValues (materialized) keep deletes and are queryable', async () => {
    const b = new StreamsBuilder();
    b.table('t', Consumed.with(S, Serdes.Integer()))
      .filterNot((_k, v) => v % 2 === 1)
      .mapValues(
        (v) => `v${v}`,
        Named.as('to-text'),
        Materialized.as<string, string>('texts').withValueSerde(S),
      )
      .toStream()
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const input = d.createInputTopic('t', S, Serdes.Integer());
      input.pipeInput('x', 2, 10);
      input.pipeInput('y', 3, 11);
      input.pipeInput('x', null, 12);
      input.pipeInput('z', 4, 13);
      const out = d.createOutputTopic('out', S, S);
      // y never passed: its delete finds nothing in the cached store and is not forwarded;
      // x's delete removes a stored row, so it is.
      expect(triples(out)).toEqual([
        ['x', 'v2', 10],
        ['x', null, 12],
        ['z', 'v4', 13],
      ]);
      expect(d.getKeyValueStore<string, string>('texts')!.get('z')).toBe('v4');
      expect(d.getKeyValueStore<string, string>('texts')!.get('x')).toBeUndefined();
    } finally {
      await d.close();
    }
  });

  it('caching on forwards only the latest value per key at commit; caching off forwards every update', async () => {
    const run = async (caching: boolean) => {
      const b = new StreamsBuilder();
      const m = Materialized.as<string, number>('counts');
      b.stream('clicks', Consumed.with(S, S))
        .flatMapValues((v) => [v, v, v]) // three updates of the same key per input record
        .groupByKey()
        .count(caching ? m : m.withCachingDisabled())
        .toStream()
        .to('out', Produced.with(S, LONG));
      const d = await TopologyTestDriver.create(b.build());
      try {
        const input = d.createInputTopic('clicks', S, S);
        input.pipeInput('u1', 'home', 100);
        input.pipeInput('u1', 'books', 200);
        return triples(d.createOutputTopic('out', S, LONG));
      } finally {
        await d.close();
      }
    };
    expect(await run(true)).toEqual([
      ['u1', 3, 100],
      ['u1', 6, 200],
    ]);
    expect(await run(false)).toEqual([
      ['u1', 1, 100],
      ['u1', 2, 100],
      ['u1', 3, 100],
      ['u1', 4, 200],
      ['u1', 5, 200],
      ['u1', 6, 200],
    ]);
  });

  it("the seed's share volume: groupBy(symbol).reduce(sum) through a repartition topic", async () => {
    interface Tx {
      symbol: string;
      shares: number;
    }
    const b2 = new StreamsBuilder();
    b2.stream('stock-transactions', Consumed.with(S, Serdes.Json<Tx>()))
      .groupBy((_k, tx) => tx.symbol, Grouped.with(S, Serdes.Json<Tx>()))
      .reduce((a, c) => ({ symbol: a.symbol, shares: a.shares + c.shares }), Materialized.as('share-volume'))
      .toStream()
      .mapValues((v) => v.shares)
      .to('volumes', Produced.with(S, Serdes.Integer()));
    const d = await TopologyTestDriver.create(b2.build(), { applicationId: 'stocks' });
    try {
      const input = d.createInputTopic('stock-transactions', S, Serdes.Json<Tx>());
      input.pipeInput('c1', { symbol: 'KAKAO', shares: 100 }, 1);
      input.pipeInput('c2', { symbol: 'NAVER', shares: 50 }, 3);
      input.pipeInput('c3', { symbol: 'KAKAO', shares: 25 }, 2);
      expect(triples(d.createOutputTopic('volumes', S, Serdes.Integer()))).toEqual([
        ['KAKAO', 100, 1],
        ['NAVER', 50, 3],
        ['KAKAO', 125, 2],
      ]);
      expect(d.producedTopicNames()).toEqual(
        expect.arrayContaining(['stocks-share-volume-changelog', 'stocks-share-volume-repartition']),
      );
    } finally {
      await d.close();
    }
  });

  it("the seed's top-5 by industry: KGroupedTable.aggregate with adder and subtractor", async () => {
    interface Volume {
      symbol: string;
      industry: string;
      shares: number;
    }
    type Top = Volume[];
    const b = new StreamsBuilder();
    b.table('share-volume', Consumed.with(S, Serdes.Json<Volume>()))
      .groupBy((_k, v) => KeyValue.pair(v.industry, v), Grouped.with(S, Serdes.Json<Volume>()))
      .aggregate<Top>(
        () => [],
        (_k, v, top) => [...top, v].sort((x, y) => y.shares - x.shares),
        (_k, v, top) => top.filter((x) => x.symbol !== v.symbol),
        Materialized.as<string, Top>('top-by-industry').withValueSerde(Serdes.Json<Top>()),
      )
      .mapValues((top) =>
        top
          .slice(0, 5)
          .map((v) => `${v.symbol}:${v.shares}`)
          .join(','),
      )
      .toStream()
      .to('top5', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const input = d.createInputTopic('share-volume', S, Serdes.Json<Volume>());
      const vol = (symbol: string, industry: string, shares: number) => ({ symbol, industry, shares });
      input.pipeInput('A', vol('A', 'tech', 10), 1);
      input.pipeInput('B', vol('B', 'tech', 30), 2);
      input.pipeInput('C', vol('C', 'food', 5), 3);
      input.pipeInput('A', vol('A', 'tech', 40), 4); // same group: one update
      input.pipeInput('B', vol('B', 'food', 7), 5); // moves: subtract from tech, then add to food
      input.pipeInput('A', null, 6); // delete: subtract only
      expect(triples(d.createOutputTopic('top5', S, S))).toEqual([
        ['tech', 'A:10', 1],
        ['tech', 'B:30,A:10', 2],
        ['food', 'C:5', 3],
        ['tech', 'A:40,B:30', 4],
        ['tech', 'A:40', 5],
        ['food', 'B:7,C:5', 5],
        ['tech', '', 6],
      ]);
    } finally {
      await d.close();
    }
  });

  it("names nodes, stores and internal topics as Kafka Streams' InternalStreamsBuilder does", () => {
    const b = new StreamsBuilder();
    b.stream<string, string>('words')
      .groupBy((_k, v) => v)
      .count()
      .toStream()
      .to('counts');
    b.table<string, string>('rows')
      .groupBy((k, v) => KeyValue.pair(v, k))
      .count();
    expect(b.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [words])',
        '      --> KSTREAM-KEY-SELECT-0000000001',
        '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])',
        '      --> KSTREAM-FILTER-0000000005',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-FILTER-0000000005 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KSTREAM-KEY-SELECT-0000000001',
        '    Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition)',
        '      <-- KSTREAM-FILTER-0000000005',
        '',
        '  Sub-topology: 1',
        '    Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition])',
        '      --> KSTREAM-AGGREGATE-0000000003',
        '    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])',
        '      --> KTABLE-TOSTREAM-0000000007',
        '      <-- KSTREAM-SOURCE-0000000006',
        '    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])',
        '      --> KSTREAM-SINK-0000000008',
        '      <-- KSTREAM-AGGREGATE-0000000003',
        '    Sink: KSTREAM-SINK-0000000008 (topic: counts)',
        '      <-- KTABLE-TOSTREAM-0000000007',
        '',
        '  Sub-topology: 2',
        '    Source: KSTREAM-SOURCE-0000000010 (topics: [rows])',
        '      --> KTABLE-SOURCE-0000000011',
        '    Processor: KTABLE-SOURCE-0000000011 (stores: [rows-STATE-STORE-0000000009])',
        '      --> KTABLE-SELECT-0000000012',
        '      <-- KSTREAM-SOURCE-0000000010',
        '    Processor: KTABLE-SELECT-0000000012 (stores: [])',
        '      --> KSTREAM-SINK-0000000014',
        '      <-- KTABLE-SOURCE-0000000011',
        '    Sink: KSTREAM-SINK-0000000014 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000013-repartition)',
        '      <-- KTABLE-SELECT-0000000012',
        '',
        '  Sub-topology: 3',
        '    Source: KSTREAM-SOURCE-0000000015 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000013-repartition])',
        '      --> KTABLE-AGGREGATE-0000000016',
        '    Processor: KTABLE-AGGREGATE-0000000016 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000013])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000015',
        '',
        '',
      ].join('\n'),
    );
  });

  it('uses a store supplier given to Materialized.as', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .groupByKey()
      .count(Materialized.as(Stores.inMemoryKeyValueStore('mem-counts')));
    const d = await TopologyTestDriver.create(b.build());
    try {
      d.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
      expect(d.getKeyValueStore<string, number>('mem-counts')!.get('k')).toBe(1);
      expect(d.getStateStore('mem-counts')!.persistent).toBe(false);
    } finally {
      await d.close();
    }
  });
});
