import { Consumed, KeyValue, Materialized, Named, Produced, Serdes, StreamsBuilder } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { pick, seededRandom } from './dsl-test-helpers';

const S = Serdes.String();
interface Tx {
  symbol: string | null;
  shares: number;
}
const TX = Serdes.Json<Tx>();

type Kind = 'join' | 'leftJoin';

async function build(kind: Kind) {
  const b = new StreamsBuilder();
  const companies = b.globalTable(
    'companies',
    Consumed.with(S, S),
    Materialized.as<string, string>('companies-store'),
  );
  const txns = b.stream('txns', Consumed.with(S, TX));
  const selector = (_k: string, tx: Tx) => (tx === null ? null : tx.symbol);
  const joiner = (tx: Tx, company: string | null) => `${tx.shares}x${tx.symbol}/${company}`;
  (kind === 'join' ? txns.join(companies, selector, joiner) : txns.leftJoin(companies, selector, joiner)).to(
    'enriched',
    Produced.with(S, S),
  );
  const d = await TopologyTestDriver.create(b.build());
  return {
    d,
    companies: d.createInputTopic('companies', S, S),
    txns: d.createInputTopic('txns', S, TX),
    out: d.createOutputTopic('enriched', S, S),
  };
}

describe('GlobalKTable', () => {
  it('describe() prints the global store as its own sub-topology, numbered as Kafka Streams does', () => {
    const b = new StreamsBuilder();
    const g = b.globalTable(
      'companies',
      Consumed.with(S, S),
      Materialized.as<string, string>('companies-store'),
    );
    b.stream('txns', Consumed.with(S, S))
      .leftJoin(
        g,
        (_k, v) => v,
        (v, c) => `${v}/${c}`,
      )
      .to('out');
    expect(g.queryableStoreName()).toBe('companies-store');
    expect(b.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0 for global store (will not generate tasks)\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [companies])\n' +
        '      --> KTABLE-SOURCE-0000000001\n' +
        '    Processor: KTABLE-SOURCE-0000000001 (stores: [companies-store])\n' +
        '      --> none\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '  Sub-topology: 1\n' +
        '    Source: KSTREAM-SOURCE-0000000002 (topics: [txns])\n' +
        '      --> KSTREAM-LEFTJOIN-0000000003\n' +
        '    Processor: KSTREAM-LEFTJOIN-0000000003 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000004\n' +
        '      <-- KSTREAM-SOURCE-0000000002\n' +
        '    Sink: KSTREAM-SINK-0000000004 (topic: out)\n' +
        '      <-- KSTREAM-LEFTJOIN-0000000003\n\n',
    );
    expect(
      b
        .build()
        .describe()
        .globalStores.map((s) => s.id),
    ).toEqual([0]);
  });

  it('names: generated store <topic>-STATE-STORE-<n>, no queryable name; Consumed.withName and Named pin nodes', () => {
    const b = new StreamsBuilder();
    const g = b.globalTable('companies', Consumed.with(S, S).withName('cos'));
    expect(g.queryableStoreName()).toBeNull();
    b.stream('txns', Consumed.with(S, S))
      .join(
        g,
        (_k, v) => v,
        (v, c) => `${v}/${c}`,
        Named.as('enrich'),
      )
      .to('out');
    const text = b.build().describe().toString();
    expect(text).toContain('Source: cos-source (topics: [companies])\n      --> cos\n');
    expect(text).toContain('Processor: cos (stores: [companies-STATE-STORE-0000000000])');
    expect(text).toContain('Processor: enrich (stores: [])');
  });

  it('a join after a key change does not repartition, and the global topic needs no co-partitioning', () => {
    const b = new StreamsBuilder();
    const g = b.globalTable('companies', Consumed.with(S, S));
    b.stream('txns', Consumed.with(S, S))
      .selectKey((_k, v) => v)
      .join(
        g,
        (k) => k,
        (v, c) => `${v}/${c}`,
      )
      .to('out');
    const t = b.build();
    expect(t.describe().toString()).not.toContain('repartition');
    expect(t.internal.copartitionGroups).toEqual([]);
  });

  it('rejects a global topic that a stream already reads', () => {
    const b = new StreamsBuilder();
    b.stream('companies');
    expect(() => b.globalTable('companies')).toThrow(/already read/);
  });

  for (const kind of ['join', 'leftJoin'] as const) {
    for (const seed of [7, 8]) {
      it(`${kind} equals a brute-force model with the global topic updated mid-stream (seed ${seed})`, async () => {
        const r = seededRandom(seed);
        const { d, companies, txns, out } = await build(kind);
        const table = new Map<string, string>();
        const expected: string[] = [];
        let dropped = 0;
        for (let i = 0; i < 500; i++) {
          const ts = 10_000 + i;
          const sym = `S${pick(r, 20)}`;
          const roll = r();
          if (roll < 0.35) {
            // global update: upsert, tombstone, or a null key (dropped)
            const v = r() < 0.2 ? null : `Co${i}`;
            if (r() < 0.05) {
              companies.pipeInput(null as unknown as string, `ignored${i}`, ts);
              dropped++;
              continue;
            }
            companies.pipeInput(sym, v, ts);
            if (v === null) table.delete(sym);
            else table.set(sym, v);
            continue;
          }
          const key = r() < 0.08 ? null : `c${pick(r, 5)}`;
          const nullValue = r() < 0.05;
          const tx: Tx | null = nullValue ? null : { symbol: r() < 0.1 ? null : sym, shares: i };
          txns.pipeInput(key as string, tx as Tx, ts);
          // Kafka Streams' KStreamKTableJoinProcessor with the global key selector:
          const mapped = tx === null ? null : tx.symbol;
          const keepNullKey = kind === 'leftJoin' && key === null && tx !== null;
          if (!keepNullKey && (mapped === null || tx === null)) {
            dropped++;
            continue;
          }
          const company = mapped === null ? null : (table.get(mapped) ?? null);
          if (kind === 'leftJoin' || company !== null)
            expected.push(`${key}:${tx!.shares}x${tx!.symbol}/${company}@${ts}`);
        }
        const got = out.readRecordsToList().map((x) => `${x.key}:${x.value}@${x.timestamp}`);
        expect(expected.length).toBeGreaterThan(120);
        expect(got).toEqual(expected);
        expect(d.droppedRecords().null_key_or_value).toBe(dropped);
        // the global store holds exactly the model's table
        const store = d.getKeyValueStore<string, string>('companies-store')!;
        const all: Array<[string, string]> = [];
        const it = store.all();
        for (let n = it.next(); !n.done; n = it.next()) all.push([n.value.key, n.value.value]);
        it.close?.();
        expect(new Map(all)).toEqual(table);
        await d.close();
      });
    }
  }

  it('the joiner may take the key, and a record written to the global topic by the topology updates the store', async () => {
    const b = new StreamsBuilder();
    const g = b.globalTable('companies', Consumed.with(S, S), Materialized.as<string, string>('cos'));
    b.stream('company-updates', Consumed.with(S, S)).to('companies', Produced.with(S, S));
    b.stream('txns', Consumed.with(S, S))
      .join(
        g,
        (_k, v) => v,
        (k: string, v: string, c: string) => `${k}:${v}/${c}`,
      )
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    const updates = d.createInputTopic('company-updates', S, S);
    const txns = d.createInputTopic('txns', S, S);
    const out = d.createOutputTopic('out', S, S);
    txns.pipeInput('a', 'ACME', 1);
    updates.pipeInput('ACME', 'Acme Corp', 2);
    txns.pipeInput('b', 'ACME', 3);
    expect(out.readKeyValuesToList()).toEqual([KeyValue.pair('b', 'b:ACME/Acme Corp')]);
    expect(d.getKeyValueStore<string, string>('cos')!.get('ACME')).toBe('Acme Corp');
    await d.close();
  });
});
