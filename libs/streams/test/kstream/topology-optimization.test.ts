import {
  Consumed,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  StreamsConfigError,
  type Topology,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { seededRandom } from '../helpers/seeded-random';
import { sumByGroupTo } from '../helpers/group-sums';

const S = Serdes.String();
const I = Serdes.Integer();

/** Rows `key -> "group:quantity"` summed per group by a KGroupedTable aggregate with a subtractor. */
function groupSums(materialized: 'named' | 'unnamed', cached: boolean): Topology {
  const b = new StreamsBuilder();
  const m = Materialized.as<string, string>('rows');
  const table =
    materialized === 'named'
      ? b.table('rows-in', Consumed.with(S, S), cached ? m : m.withCachingDisabled())
      : b.table('rows-in', Consumed.with(S, S));
  sumByGroupTo(table, 'sums-out');
  return b.build();
}

/** Seeded rows: updates that move keys between groups, and deletes. */
function rows(seed: number, n: number): Array<[string, string | null]> {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const key = `k${Math.floor(rnd() * 40)}`;
    if (rnd() < 0.15) return [key, null];
    return [key, `g${Math.floor(rnd() * 5)}:${1 + Math.floor(rnd() * 9)}`];
  });
}

/** The brute-force model: the last row per key, summed per group. */
function model(input: Array<[string, string | null]>): Map<string, number> {
  const table = new Map<string, string>();
  for (const [k, v] of input) {
    if (v === null) table.delete(k);
    else table.set(k, v);
  }
  const sums = new Map<string, number>();
  for (const v of table.values()) {
    const [g, q] = v.split(':');
    sums.set(g, (sums.get(g) ?? 0) + Number(q));
  }
  return sums;
}

async function run(
  topology: Topology,
  topologyOptimization: string | undefined,
  input: Array<[string, string | null]>,
) {
  const d = await TopologyTestDriver.create(topology, { applicationId: 'opt', topologyOptimization });
  try {
    const rowsIn = d.createInputTopic('rows-in', S, S);
    input.forEach(([k, v], i) => rowsIn.pipeInput(k, v, i));
    const last = new Map<string, number>();
    for (const r of d.createOutputTopic('sums-out', S, I).readKeyValuesToList()) last.set(r.key!, r.value!);
    const sums = d.getKeyValueStore<string, number>('sums')!;
    const stored = new Map<string, number>();
    const it = sums.all();
    for (let n = it.next(); !n.done; n = it.next()) stored.set(n.value.key, n.value.value);
    it.close();
    return { produced: d.producedTopicNames(), last, stored };
  } finally {
    await d.close();
  }
}

describe('topologyOptimization: reuse.ktable.source.topics (Kafka Streams topology.optimization)', () => {
  const input = rows(13, 600);
  const expected = model(input);
  const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v !== 0));

  it.each([
    ['named', true],
    ['named', false],
    ['unnamed', true],
  ] as const)(
    'a %s table (caching %s): the source store logs to no changelog with the option, to one without; same results as the model',
    async (materialized, cached) => {
      const store = materialized === 'named' ? 'rows' : 'rows-in-STATE-STORE-0000000000';
      const plain = await run(groupSums(materialized, cached), undefined, input);
      expect(plain.produced).toContain(`opt-${store}-changelog`);
      for (const opt of ['all', 'reuse.ktable.source.topics', ' reuse.ktable.source.topics ']) {
        const optimized = await run(groupSums(materialized, cached), opt, input);
        expect(optimized.produced).not.toContain(`opt-${store}-changelog`);
        // Only the source table's changelog goes: the aggregate still logs, the repartition topic stays.
        expect(optimized.produced).toContain('opt-sums-changelog');
        expect(optimized.produced.some((t) => t.endsWith('-repartition'))).toBe(true);
        expect(optimized.last).toEqual(plain.last);
        expect(nonZero(optimized.stored)).toEqual(expected);
      }
      expect(nonZero(plain.stored)).toEqual(expected);
      const none = await run(groupSums(materialized, cached), 'none', input);
      expect(none.produced).toContain(`opt-${store}-changelog`);
    },
  );

  it('an unmaterialized table has no store either way', async () => {
    const build = () => {
      const b = new StreamsBuilder();
      b.table('t-in', Consumed.with(S, S)).toStream().to('t-out', Produced.with(S, S));
      return b.build();
    };
    for (const opt of [undefined, 'all']) {
      const d = await TopologyTestDriver.create(build(), { applicationId: 'opt', topologyOptimization: opt });
      try {
        d.createInputTopic('t-in', S, S).pipeInput('a', '1', 1);
        expect(d.producedTopicNames()).toEqual(['t-out']);
      } finally {
        await d.close();
      }
    }
  });

  it('refuses unknown, mixed and unimplemented values, naming the field', () => {
    for (const bad of [
      'everything',
      'all,reuse.ktable.source.topics',
      'none,all',
      'merge.repartition.topics',
      'single.store.self.join',
      'reuse.ktable.source.topics,merge.repartition.topics',
      42,
    ]) {
      let error: unknown;
      try {
        new TopologyTestDriver(groupSums('named', true), {
          applicationId: 'opt',
          topologyOptimization: bad as string,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StreamsConfigError);
      expect((error as StreamsConfigError).field).toBe('topologyOptimization');
    }
  });

  it('a topology runs with the optimizations it was first started with: other ones are refused', async () => {
    const topology = groupSums('named', true);
    await (
      await TopologyTestDriver.create(topology, { applicationId: 'opt', topologyOptimization: 'all' })
    ).close();
    await (
      await TopologyTestDriver.create(topology, {
        applicationId: 'opt',
        topologyOptimization: 'reuse.ktable.source.topics',
      })
    ).close();
    expect(() => new TopologyTestDriver(topology, { applicationId: 'opt' })).toThrow(StreamsConfigError);
  });
});
