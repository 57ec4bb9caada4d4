import type { KTable, Serde } from '../../src';
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
import { Stores } from '../../src/state';
import { TopologyTestDriver } from '../../src/testing';
import { pick, seededRandom, triples } from './dsl-test-helpers';

const S = Serdes.String();
const LONG = Serdes.Long() as Serde<number>;
type Kind = 'join' | 'leftJoin' | 'outerJoin';
const KINDS: Kind[] = ['join', 'leftJoin', 'outerJoin'];

const joiner = (l: string | null, r: string | null) => `${l}+${r}`;

/** Cell of a brute-force table: value and the timestamp of the record that wrote it. */
type Row = { v: string; ts: number };

/**
 * The brute-force model: both tables as maps, and Kafka Streams' table-table join rules written
 * out per update (KTableKTableInnerJoin / LeftJoin / RightJoin / OuterJoin with the merger): what
 * one update of either side emits, with caching off.
 */
class Model {
  readonly left = new Map<string, Row>();
  readonly right = new Map<string, Row>();
  readonly emitted: Array<[string, string | null, number]> = [];

  constructor(private readonly kind: Kind) {}

  update(side: 'left' | 'right', key: string, value: string | null, ts: number): void {
    const mine = side === 'left' ? this.left : this.right;
    const other = side === 'left' ? this.right : this.left;
    const old = mine.get(key)?.v ?? null;
    if (value === null) mine.delete(key);
    else mine.set(key, { v: value, ts });
    const o = other.get(key);
    const j = (mineValue: string | null, otherValue: string | null) =>
      side === 'left' ? joiner(mineValue, otherValue) : joiner(otherValue, mineValue);
    const at = Math.max(ts, o?.ts ?? -1);
    const inner = () => {
      if (o) this.emitted.push([key, value === null ? null : j(value, o.v), at]);
    };
    if (this.kind === 'join') return inner();
    if (this.kind === 'leftJoin') {
      if (side === 'right') {
        if (o) this.emitted.push([key, j(value, o.v), at]); // the left row stays, joined with null
        return;
      }
      if (!o && value === null && old === null) return;
      this.emitted.push([key, value === null ? null : j(value, o?.v ?? null), at]);
      return;
    }
    if (!o && value === null && old === null) return;
    this.emitted.push([key, o || value !== null ? j(value, o?.v ?? null) : null, at]);
  }

  /** The joined table of the current contents (what the join's table must hold). */
  joined(): Map<string, string> {
    const out = new Map<string, string>();
    const keys = new Set([...this.left.keys(), ...this.right.keys()]);
    for (const k of keys) {
      const l = this.left.get(k)?.v ?? null;
      const r = this.right.get(k)?.v ?? null;
      if (this.kind === 'join' ? l !== null && r !== null : this.kind === 'leftJoin' ? l !== null : true)
        out.set(k, joiner(l, r));
    }
    return out;
  }
}

function doJoin(
  kind: Kind,
  l: KTable<string, string>,
  r: KTable<string, string>,
  named?: Named,
  materialized?: Materialized<string, string>,
): KTable<string, string> {
  const f = l[kind] as (...args: unknown[]) => KTable<string, string>;
  const rest = [named, materialized].filter((x) => x !== undefined);
  return f.call(l, r, joiner, ...rest);
}

/** Applies the emitted upserts/tombstones in order: the table a consumer of the output would hold. */
function replay(records: Array<[string | null, string | null, number]>): Map<string, string> {
  const t = new Map<string, string>();
  for (const [k, v] of records) {
    if (v === null) t.delete(k!);
    else t.set(k!, v);
  }
  return t;
}

describe('KTable-KTable joins against a brute-force model', () => {
  for (const kind of KINDS) {
    for (const seed of [11, 12]) {
      it(`${kind}, caching off: the emitted sequence and the joined table equal the model's (seed ${seed})`, async () => {
        const b = new StreamsBuilder();
        // In-memory stores keep the test fast (the persistent default is LMDB).
        const uncached = (n: string) =>
          Materialized.as<string, string>(Stores.inMemoryKeyValueStore(n)).withCachingDisabled();
        const l = b.table('left', Consumed.with(S, S), uncached('left-store'));
        const r = b.table('right', Consumed.with(S, S), uncached('right-store'));
        const joined = doJoin(kind, l, r, undefined, uncached('joined-store').withValueSerde(S));
        joined.toStream().to('out', Produced.with(S, S));
        // A downstream aggregation needs old values: the number of joined rows must stay exact.
        joined
          .groupBy((_k, v) => KeyValue.pair('rows', v), Grouped.with(S, S))
          .count(
            Materialized.as<string, number>(Stores.inMemoryKeyValueStore('rows'))
              .withValueSerde(LONG)
              .withCachingDisabled(),
          );
        const d = await TopologyTestDriver.create(b.build());
        try {
          const left = d.createInputTopic('left', S, S);
          const right = d.createInputTopic('right', S, S);
          const out = d.createOutputTopic('out', S, S);
          const model = new Model(kind);
          const rnd = seededRandom(seed);
          for (let i = 0; i < 300; i++) {
            const side = rnd() < 0.5 ? 'left' : 'right';
            const key = `k${pick(rnd, 12)}`;
            const value = rnd() < 0.3 ? null : `${side[0]}${i}`;
            const ts = 1000 + i * 10 - pick(rnd, 50); // some updates older than the other side's
            (side === 'left' ? left : right).pipeInput(key, value, ts);
            model.update(side, key, value, ts);
          }
          const got = triples(out);
          expect(model.emitted.length).toBeGreaterThan(100);
          expect(got).toEqual(model.emitted);
          const expected = model.joined();
          expect(replay(got)).toEqual(expected);
          const store = d.getKeyValueStore<string, string>('joined-store')!;
          expect(new Map([...store.all()].map((kv) => [kv.key, kv.value]))).toEqual(expected);
          expect(d.getKeyValueStore<string, number>('rows')!.get('rows') ?? 0).toBe(expected.size);
        } finally {
          await d.close();
        }
      });
    }

    it(`${kind}, caching on (the defaults): the joined table and its view equal the model's`, async () => {
      const b = new StreamsBuilder();
      const l = b.table(
        'left',
        Consumed.with(S, S),
        Materialized.as<string, string>(Stores.inMemoryKeyValueStore('left-store')),
      );
      const r = b.table('right', Consumed.with(S, S)); // materialized by the join
      const joined = doJoin(
        kind,
        l,
        r,
        Named.as('lr'),
        Materialized.as<string, string>(Stores.inMemoryKeyValueStore('joined-store')).withValueSerde(S),
      );
      joined.toStream().to('out', Produced.with(S, S));
      // The join's result joined again: its view (value getter) is read through mapValues.
      const third = b.table('third', Consumed.with(S, S));
      const tagged = joined.mapValues((v) => `<${v}>`);
      tagged
        .join(third, (t: string, x: string) => `${t}/${x}`)
        .toStream()
        .to('out2', Produced.with(S, S));
      const d = await TopologyTestDriver.create(b.build());
      try {
        const left = d.createInputTopic('left', S, S);
        const right = d.createInputTopic('right', S, S);
        const out = d.createOutputTopic('out', S, S);
        const out2 = d.createOutputTopic('out2', S, S);
        for (let k = 0; k < 10; k++) d.createInputTopic('third', S, S).pipeInput(`k${k}`, `t${k}`, 1);
        const model = new Model(kind);
        const rnd = seededRandom(7);
        for (let i = 0; i < 200; i++) {
          const side = rnd() < 0.5 ? 'left' : 'right';
          const key = `k${pick(rnd, 10)}`;
          const value = rnd() < 0.3 ? null : `${side[0]}${i}`;
          (side === 'left' ? left : right).pipeInput(key, value, 1000 + i);
          model.update(side, key, value, 1000 + i);
        }
        const expected = model.joined();
        expect(expected.size).toBeGreaterThan(0);
        expect(replay(triples(out))).toEqual(expected);
        const store = d.getKeyValueStore<string, string>('joined-store')!;
        expect(new Map([...store.all()].map((kv) => [kv.key, kv.value]))).toEqual(expected);
        const second = new Map<string, string>();
        for (const [k, v] of expected) second.set(k, `<${v}>/t${k.slice(1)}`);
        expect(replay(triples(out2))).toEqual(second);
      } finally {
        await d.close();
      }
    });
  }

  it('a delete of either side of an inner join forwards a tombstone; the timestamp is the later side', async () => {
    const b = new StreamsBuilder();
    const l = b.table('left', Consumed.with(S, S));
    const r = b.table('right', Consumed.with(S, S));
    l.join(r, joiner).toStream().to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const left = d.createInputTopic('left', S, S);
      const right = d.createInputTopic('right', S, S);
      const out = d.createOutputTopic('out', S, S);
      left.pipeInput('a', 'L1', 10);
      expect(out.isEmpty()).toBe(true);
      right.pipeInput('a', 'R1', 5);
      left.pipeInput('a', 'L2', 7);
      right.pipeInput('a', null, 20);
      right.pipeInput('a', 'R2', 21);
      left.pipeInput('a', null, 30);
      expect(triples(out)).toEqual([
        ['a', 'L1+R1', 10],
        ['a', 'L2+R1', 7],
        ['a', null, 20],
        ['a', 'L2+R2', 21],
        ['a', null, 30],
      ]);
    } finally {
      await d.close();
    }
  });

  it('describe(): Kafka Streams node names, both sides connected to the other side store', () => {
    const b = new StreamsBuilder();
    const l = b.table('left', Consumed.with(S, S));
    const r = b.table('right', Consumed.with(S, S));
    l.join(r, joiner).toStream().to('output', Produced.with(S, S));
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [left])\n' +
        '      --> KTABLE-SOURCE-0000000002\n' +
        '    Source: KSTREAM-SOURCE-0000000004 (topics: [right])\n' +
        '      --> KTABLE-SOURCE-0000000005\n' +
        '    Processor: KTABLE-SOURCE-0000000002 (stores: [left-STATE-STORE-0000000000])\n' +
        '      --> KTABLE-JOINTHIS-0000000007\n' +
        '      <-- KSTREAM-SOURCE-0000000001\n' +
        '    Processor: KTABLE-SOURCE-0000000005 (stores: [right-STATE-STORE-0000000003])\n' +
        '      --> KTABLE-JOINOTHER-0000000008\n' +
        '      <-- KSTREAM-SOURCE-0000000004\n' +
        '    Processor: KTABLE-JOINOTHER-0000000008 (stores: [left-STATE-STORE-0000000000])\n' +
        '      --> KTABLE-MERGE-0000000006\n' +
        '      <-- KTABLE-SOURCE-0000000005\n' +
        '    Processor: KTABLE-JOINTHIS-0000000007 (stores: [right-STATE-STORE-0000000003])\n' +
        '      --> KTABLE-MERGE-0000000006\n' +
        '      <-- KTABLE-SOURCE-0000000002\n' +
        '    Processor: KTABLE-MERGE-0000000006 (stores: [])\n' +
        '      --> KTABLE-TOSTREAM-0000000009\n' +
        // Kafka Streams' order (its describe() sorts by node sizes taken while connecting the graph).
        '      <-- KTABLE-JOINTHIS-0000000007, KTABLE-JOINOTHER-0000000008\n' +
        '    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000010\n' +
        '      <-- KTABLE-MERGE-0000000006\n' +
        '    Sink: KSTREAM-SINK-0000000010 (topic: output)\n' +
        '      <-- KTABLE-TOSTREAM-0000000009\n\n',
    );
  });

  it('Named and Materialized name the nodes and the store (KTABLE-MERGE-STATE-STORE when unnamed)', () => {
    const b = new StreamsBuilder();
    const l = b.table('left', Consumed.with(S, S));
    const r = b.table('right', Consumed.with(S, S));
    const named = l.leftJoin(r, joiner, Named.as('lr'), Materialized.as<string, string>('lr-store'));
    expect(named.queryableStoreName()).toBe('lr-store');
    const unnamed = l.outerJoin(r, joiner, Materialized.with<string, string>(S, S));
    const desc = b.build().describe().toString();
    expect(desc).toContain('Processor: lr-join-this (stores: [right-STATE-STORE-0000000003])');
    expect(desc).toContain('Processor: lr-join-other (stores: [left-STATE-STORE-0000000000])');
    expect(desc).toContain('Processor: lr (stores: [lr-store])');
    expect(desc).toContain(
      'Processor: KTABLE-MERGE-0000000007 (stores: [KTABLE-MERGE-STATE-STORE-0000000006])',
    );
    expect(unnamed.queryableStoreName()).toBe('KTABLE-MERGE-STATE-STORE-0000000006');
  });

  it('null keys are dropped and counted', async () => {
    const b = new StreamsBuilder();
    const l = b.table('left', Consumed.with(S, S));
    const r = b.table('right', Consumed.with(S, S));
    l.outerJoin(r, joiner).toStream().to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    try {
      d.createInputTopic('left', S, S).pipeInput(null, 'x', 1);
      d.createInputTopic('right', S, S).pipeInput('a', 'y', 2);
      expect(triples(d.createOutputTopic('out', S, S))).toEqual([['a', 'null+y', 2]]);
      expect(d.droppedRecords()).toEqual({ null_key_or_value: 1 });
    } finally {
      await d.close();
    }
  });
});
