import { Consumed, Joined, Materialized, Produced, Serdes, StreamsBuilder } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { seededRandom as rng } from '../helpers/seeded-random';

const S = Serdes.String();

async function build(kind: 'join' | 'leftJoin') {
  const b = new StreamsBuilder();
  const table = b.table('news', Consumed.with(S, S), Materialized.as<string, string>('news-store'));
  const stream = b.stream('trades', Consumed.with(S, S));
  const joiner = (trade: string, news: string | null) => `${trade}/${news}`;
  (kind === 'join' ? stream.join(table, joiner) : stream.leftJoin(table, joiner)).to(
    'out',
    Produced.with(S, S),
  );
  const d = await TopologyTestDriver.create(b.build());
  return {
    d,
    news: d.createInputTopic('news', S, S),
    trades: d.createInputTopic('trades', S, S),
    out: d.createOutputTopic('out', S, S),
    desc: b.build().describe().toString(),
  };
}

describe('stream-table join', () => {
  for (const kind of ['join', 'leftJoin'] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${kind} equals a brute-force model (seed ${seed}, tombstones, interleaved updates)`, async () => {
        const r = rng(seed);
        const { d, news, trades, out } = await build(kind);
        const table = new Map<string, string>();
        const expected: string[] = [];
        for (let i = 0; i < 600; i++) {
          const key = `s${Math.floor(r() * 15)}`;
          const ts = 1000 + i;
          if (r() < 0.4) {
            const value = r() < 0.2 ? null : `n${i}`;
            news.pipeInput(key, value, ts);
            if (value === null) table.delete(key);
            else table.set(key, value);
          } else {
            trades.pipeInput(key, `t${i}`, ts);
            const v = table.get(key);
            if (v !== undefined || kind === 'leftJoin') expected.push(`${key}:t${i}/${v ?? null}@${ts}`);
          }
        }
        const got = out.readRecordsToList().map((x) => `${x.key}:${x.value}@${x.timestamp}`);
        await d.close();
        expect(expected.length).toBeGreaterThan(100);
        expect(got).toEqual(expected);
      });
    }
  }

  it('null key or value: dropped and counted (join); a null-key record joins with null (leftJoin)', async () => {
    for (const kind of ['join', 'leftJoin'] as const) {
      const { d, news, trades, out } = await build(kind);
      news.pipeInput('a', 'n1', 1);
      trades.pipeInput(null, 'x', 2);
      trades.pipeInput('a', null, 3);
      trades.pipeInput('a', 't', 4);
      const got = out.readKeyValuesToList().map((kv) => `${kv.key}:${kv.value}`);
      const dropped = d.droppedRecords();
      await d.close();
      if (kind === 'join') {
        expect(got).toEqual(['a:t/n1']);
        expect(dropped).toEqual({ null_key_or_value: 2 });
      } else {
        expect(got).toEqual(['null:x/null', 'a:t/n1']);
        expect(dropped).toEqual({ null_key_or_value: 1 });
      }
    }
  });

  it('repartitions a re-keyed stream before the join, named from Joined', async () => {
    const b = new StreamsBuilder();
    const table = b.table('companies', Consumed.with(S, S));
    b.stream('txns', Consumed.with(S, S))
      .selectKey((_k, v) => v.split(':')[0])
      .join(
        table,
        (tx: string, company: string) => `${tx}@${company}`,
        Joined.with(S, S, S).withName('enrich'),
      )
      .to('out', Produced.with(S, S));
    const desc = b.build().describe().toString();
    expect(desc).toContain('Sink: enrich-repartition-sink (topic: enrich-repartition)');
    expect(desc).toMatch(/Processor: enrich \(stores: \[companies-STATE-STORE-\d{10}\]\)/);
    const d = await TopologyTestDriver.create(b.build());
    d.createInputTopic('companies', S, S).pipeInput('ACME', 'Acme Corp', 1);
    d.createInputTopic('txns', S, S).pipeInput('t1', 'ACME:100', 2);
    d.createInputTopic('txns', S, S).pipeInput('t2', 'NOPE:5', 3);
    expect(
      d
        .createOutputTopic('out', S, S)
        .readKeyValuesToList()
        .map((kv) => `${kv.key}=${kv.value}`),
    ).toEqual(['ACME=ACME:100@Acme Corp']);
    await d.close();
  });
});
