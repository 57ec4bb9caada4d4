import {
  Branched,
  Consumed,
  KeyValue,
  KStream,
  Named,
  Printed,
  Produced,
  Repartitioned,
  Serdes,
  StreamsBuilder,
  StreamPartitioner,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';

const S = Serdes.String();
const consumed = Consumed.with(S, S);
const produced = Produced.with(S, S);
const silent = { logger: { debug() {}, info() {}, warn() {}, error() {} } };

async function run(
  build: (s: KStream<string, string>, b: StreamsBuilder) => void,
  inputs: Array<[string | null, string | null, number?]>,
  outTopics = ['out'],
) {
  const b = new StreamsBuilder();
  build(b.stream('in', consumed), b);
  const driver = new TopologyTestDriver(b.build(), { ...silent, initialWallClockTimeMs: 1000 });
  const input = driver.createInputTopic('in', S, S);
  for (const [k, v, ts] of inputs) input.pipeInput(k, v, ts);
  const out = Object.fromEntries(
    outTopics.map((t) => [
      t,
      driver
        .createOutputTopic(t, S, S)
        .readKeyValuesToList()
        .map((kv) => [kv.key, kv.value]),
    ]),
  );
  await driver.close();
  return out;
}

describe('KStream operations through the TopologyTestDriver', () => {
  it('mapValues upper-cases values and keeps keys (yelling app)', async () => {
    const out = await run(
      (s) => s.mapValues((v) => v.toUpperCase()).to('out', produced),
      [
        ['a', 'hello'],
        [null, 'world'],
      ],
    );
    expect(out.out).toEqual([
      ['a', 'HELLO'],
      [null, 'WORLD'],
    ]);
  });

  it('mapValues gets the read-only key as second argument', async () => {
    const out = await run((s) => s.mapValues((v, k) => `${k}:${v}`).to('out', produced), [['k', 'v']]);
    expect(out.out).toEqual([['k', 'k:v']]);
  });

  it('map changes key and value (KeyValue or tuple)', async () => {
    const out = await run(
      (s) => {
        s.map((k, v) => KeyValue.pair(v, k)).to('out', produced);
        s.map((k, v): [string, string] => [`${k}!`, `${v}!`]).to('out2', produced);
      },
      [['a', 'b']],
      ['out', 'out2'],
    );
    expect(out).toEqual({ out: [['b', 'a']], out2: [['a!', 'b!']] });
  });

  it('filter and filterNot', async () => {
    const out = await run(
      (s) => {
        s.filter((_k, v) => v.length > 2).to('out', produced);
        s.filterNot((_k, v) => v.length > 2).to('short', produced);
      },
      [
        ['1', 'ab'],
        ['2', 'abc'],
        ['3', 'abcd'],
      ],
      ['out', 'short'],
    );
    expect(out.out).toEqual([
      ['2', 'abc'],
      ['3', 'abcd'],
    ]);
    expect(out.short).toEqual([['1', 'ab']]);
  });

  it('flatMap and flatMapValues emit zero or more records', async () => {
    const out = await run(
      (s) => {
        s.flatMap((k, v) => v.split(' ').map((w) => KeyValue.pair(w, k ?? ''))).to('out', produced);
        s.flatMapValues((v) => (v ? v.split(' ') : [])).to('words', produced);
      },
      [
        ['k', 'x y'],
        ['e', ''],
      ],
      ['out', 'words'],
    );
    expect(out.out).toEqual([
      ['x', 'k'],
      ['y', 'k'],
      ['', 'e'],
    ]);
    expect(out.words).toEqual([
      ['k', 'x'],
      ['k', 'y'],
    ]);
  });

  it('selectKey sets a new key', async () => {
    const out = await run(
      (s) => s.selectKey((_k, v) => v.slice(0, 1)).to('out', produced),
      [
        [null, 'apple'],
        ['z', 'banana'],
      ],
    );
    expect(out.out).toEqual([
      ['a', 'apple'],
      ['b', 'banana'],
    ]);
  });

  it('branch(...predicates) returns one stream per predicate, first match wins, others dropped', async () => {
    const out = await run(
      (s) => {
        const [a, b] = s.branch(
          (_k, v) => v.startsWith('a'),
          (_k, v) => v.length > 3,
        );
        a.to('a', produced);
        b.to('b', produced);
      },
      [
        ['1', 'apple'],
        ['2', 'berry'],
        ['3', 'ab'],
        ['4', 'no'],
      ],
      ['a', 'b'],
    );
    expect(out.a).toEqual([
      ['1', 'apple'],
      ['3', 'ab'],
    ]);
    expect(out.b).toEqual([['2', 'berry']]);
  });

  it('split().branch(..., Branched.as).defaultBranch() returns branches by name', async () => {
    let names: string[] = [];
    const out = await run(
      (s) => {
        const branches = s
          .split(Named.as('sales-'))
          .branch((_k, v) => v === 'domestic', Branched.as('domestic'))
          .branch(
            (_k, v) => v === 'intl',
            Branched.withConsumer((st) => st.to('consumed', produced), 'intl'),
          )
          .defaultBranch(Branched.as('other'));
        names = Object.keys(branches).sort();
        branches['sales-domestic'].to('out', produced);
        branches['sales-other'].to('other', produced);
      },
      [
        ['1', 'domestic'],
        ['2', 'intl'],
        ['3', 'x'],
      ],
      ['out', 'consumed', 'other'],
    );
    expect(names).toEqual(['sales-domestic', 'sales-other']);
    expect(out).toEqual({ out: [['1', 'domestic']], consumed: [['2', 'intl']], other: [['3', 'x']] });
  });

  it('split() without names numbers branches from 1 and the default branch 0; noDefaultBranch drops the rest', async () => {
    const b = new StreamsBuilder();
    const m = b
      .stream('in', consumed)
      .split()
      .branch((k) => k === 'a')
      .noDefaultBranch();
    expect(Object.keys(m)).toEqual(['KSTREAM-BRANCH-00000000011']);
    const b2 = new StreamsBuilder();
    const m2 = b2
      .stream('in', consumed)
      .split()
      .branch(
        (k) => k === 'a',
        Branched.withFunction((st) => st.mapValues((v) => v + '!')),
      )
      .defaultBranch();
    expect(Object.keys(m2).sort()).toEqual(['KSTREAM-BRANCH-00000000010', 'KSTREAM-BRANCH-00000000011']);
    m2['KSTREAM-BRANCH-00000000011'].to('out', produced);
    m2['KSTREAM-BRANCH-00000000010'].to('rest', produced);
    const d = new TopologyTestDriver(b2.build(), silent);
    const i = d.createInputTopic('in', S, S);
    i.pipeInput('a', 'x');
    i.pipeInput('b', 'y');
    expect(d.createOutputTopic('out', S, S).readKeyValuesToList()).toEqual([KeyValue.pair('a', 'x!')]);
    expect(d.createOutputTopic('rest', S, S).readKeyValuesToList()).toEqual([KeyValue.pair('b', 'y')]);
    await d.close();
  });

  it('merge combines two streams', async () => {
    const b = new StreamsBuilder();
    const x = b.stream('x', consumed);
    const y = b.stream('y', consumed).mapValues((v) => v.toUpperCase());
    x.merge(y).to('out', produced);
    const d = new TopologyTestDriver(b.build(), silent);
    d.createInputTopic('x', S, S).pipeInput('1', 'a');
    d.createInputTopic('y', S, S).pipeInput('2', 'b');
    d.createInputTopic('x', S, S).pipeInput('3', 'c');
    expect(d.createOutputTopic('out', S, S).readValuesToList()).toEqual(['a', 'B', 'c']);
    await d.close();
  });

  it('peek and foreach observe records; peek passes them on', async () => {
    const seen: string[] = [];
    const out = await run(
      (s) => {
        s.peek((k, v) => seen.push(`peek ${k}=${v}`)).to('out', produced);
        s.foreach((k, v) => seen.push(`each ${k}=${v}`));
      },
      [['a', '1']],
    );
    expect(seen).toEqual(['peek a=1', 'each a=1']);
    expect(out.out).toEqual([['a', '1']]);
  });

  it('print writes "[label]: key, value" lines', async () => {
    const lines: string[] = [];
    await run(
      (s) => s.print(Printed.to<string, string>((l) => lines.push(l)).withLabel('Yelling App')),
      [
        ['k', 'v'],
        [null, 'w'],
      ],
      [],
    );
    expect(lines).toEqual(['[Yelling App]: k, v', '[Yelling App]: null, w']);
  });

  it('to() with a topic extractor routes per record', async () => {
    const out = await run(
      (s) => s.to((k) => `out-${k}`, produced),
      [
        ['a', '1'],
        ['b', '2'],
      ],
      ['out-a', 'out-b'],
    );
    expect(out).toEqual({ 'out-a': [['a', '1']], 'out-b': [['b', '2']] });
  });

  it('through() writes a topic and reads it back; the partitioner is called with the partition count', async () => {
    const calls: string[] = [];
    const partitioner: StreamPartitioner<string, string> = {
      partition: (topic, key, _v, n) => {
        calls.push(`${topic}:${key}:${n}`);
        return 0;
      },
    };
    const out = await run(
      (s) =>
        s
          .through('mid', Produced.with(S, S, partitioner))
          .mapValues((v) => v + '.')
          .to('out', produced),
      [['a', '1']],
      ['mid', 'out'],
    );
    expect(out).toEqual({ mid: [['a', '1']], out: [['a', '1.']] });
    expect(calls).toEqual(['mid:a:1']);
  });

  it('repartition() goes through <applicationId>-<name>-repartition', async () => {
    const b = new StreamsBuilder();
    b.stream('in', consumed)
      .selectKey((_k, v) => v)
      .repartition(Repartitioned.as<string, string>('by-value').withKeySerde(S).withValueSerde(S))
      .to('out', produced);
    const d = new TopologyTestDriver(b.build(), { ...silent, applicationId: 'app' });
    d.createInputTopic('in', S, S).pipeInput('k', 'v');
    expect(d.producedTopicNames().sort()).toEqual(['app-by-value-repartition', 'out']);
    expect(d.createOutputTopic('out', S, S).readKeyValue()).toEqual(KeyValue.pair('v', 'v'));
    await d.close();
  });

  it('carries record timestamps and headers through', async () => {
    const b = new StreamsBuilder();
    b.stream('in', consumed)
      .mapValues((v) => v)
      .to('out', produced);
    const d = new TopologyTestDriver(b.build(), silent);
    d.createInputTopic('in', S, S).pipeInput('k', 'v', 12345, { h: 'x' });
    const r = d.createOutputTopic('out', S, S).readRecord();
    expect(r.timestamp).toBe(12345);
    expect(r.headers).toEqual({ h: 'x' });
    await d.close();
  });

  it('builder.stream accepts a list of topics and a RegExp', async () => {
    const b = new StreamsBuilder();
    b.stream(['t1', 't2'], consumed).to('out', produced);
    b.stream(/^logs-.*/, consumed)
      .mapValues((v) => `log:${v}`)
      .to('out', produced);
    const d = new TopologyTestDriver(b.build(), silent);
    d.createInputTopic('t1', S, S).pipeInput('a', '1');
    d.createInputTopic('t2', S, S).pipeInput('b', '2');
    d.createInputTopic('logs-app', S, S).pipeInput('c', '3');
    expect(d.createOutputTopic('out', S, S).readValuesToList()).toEqual(['1', '2', 'log:3']);
    expect(() => d.createInputTopic('nope', S, S)).toThrow(/Unknown input topic "nope"/);
    await d.close();
  });
});
