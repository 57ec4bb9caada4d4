import { Consumed, Named, Printed, Produced, Serdes, StreamsBuilder, Topology } from '../../src';
import { KStreamImpl } from '../../src/kstream/internals/kstream-impl';

const S = Serdes.String();

describe('Topology.describe() in Kafka Streams format', () => {
  it('prints the yelling app exactly as Kafka Streams does', () => {
    const b = new StreamsBuilder();
    const upper = b.stream('src-topic', Consumed.with(S, S)).mapValues((v) => v.toUpperCase());
    upper.to('out-topic', Produced.with(S, S));
    upper.print(Printed.toSysOut<string, string>().withLabel('Yelling App'));
    expect(b.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [src-topic])',
        '      --> KSTREAM-MAPVALUES-0000000001',
        '    Processor: KSTREAM-MAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-PRINTER-0000000003, KSTREAM-SINK-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-PRINTER-0000000003 (stores: [])',
        '      --> none',
        '      <-- KSTREAM-MAPVALUES-0000000001',
        '    Sink: KSTREAM-SINK-0000000002 (topic: out-topic)',
        '      <-- KSTREAM-MAPVALUES-0000000001',
        '',
        '',
      ].join('\n'),
    );
  });

  it('splits a repartitioned stream into two sub-topologies (auto-repartitioning mechanism)', () => {
    const b = new StreamsBuilder();
    const keyed = b.stream('words', Consumed.with(S, S)).selectKey((_k, v) => v) as KStreamImpl<
      string,
      string
    >;
    expect(keyed.repartitionRequired).toBe(true);
    const re = keyed.repartitionIfRequired('counts', S, S);
    expect(re.repartitionRequired).toBe(false);
    expect(re.repartitionIfRequired('again')).toBe(re);
    re.to('out');
    const t = b.build();
    const text = t.describe().toString();
    expect(text).toContain('   Sub-topology: 0\n');
    expect(text).toContain(
      '  Sub-topology: 1\n    Source: counts-repartition-source (topics: [counts-repartition])',
    );
    expect(text).toContain('Sink: counts-repartition-sink (topic: counts-repartition)');
    expect(text).toContain('Processor: counts-repartition-filter (stores: [])');
    expect(t.describe().subtopologies).toHaveLength(2);
    expect(t.internal.internalTopics.get('counts-repartition')?.type).toBe('repartition');
  });

  it('describes a Processor API topology built by hand, with a RegExp source and named nodes', () => {
    const t = new Topology()
      .addSource({ name: 'src', topics: /orders-.*/ })
      .addProcessor('proc', () => ({ process() {} }), 'src')
      .addSink('sink', 'out', undefined, undefined, undefined, 'proc');
    expect(t.describe().toString()).toBe(
      'Topologies:\n   Sub-topology: 0\n    Source: src (topics: orders-.*)\n      --> proc\n    Processor: proc (stores: [])\n      --> sink\n      <-- src\n    Sink: sink (topic: out)\n      <-- proc\n\n',
    );
  });

  // Kafka Streams' StreamsBuilderTest.shouldUseSpecifiedNameForTableSourceProcessor: the table's
  // processor takes the name, its source `<name>-source`; the generated indexes are drawn anyway.
  it('Consumed.withName on a table names the processor and its source <name>-source, as Kafka Streams', () => {
    const b = new StreamsBuilder();
    b.table('stream-topic', Consumed.with(S, S).withName('source-node'));
    b.table('stream-topic-two', Consumed.with(S, S));
    // Each table is its own sub-topology (their numbering is not what this test is about).
    const subtopologies = b
      .build()
      .describe()
      .subtopologies.map((t) => t.nodes.map((n) => `    ${n.toString()}\n`).join(''))
      .sort();
    expect(subtopologies).toEqual(
      [
        [
          '    Source: source-node-source (topics: [stream-topic])',
          '      --> source-node',
          '    Processor: source-node (stores: [])',
          '      --> none',
          '      <-- source-node-source',
          '',
        ].join('\n'),
        [
          '    Source: KSTREAM-SOURCE-0000000004 (topics: [stream-topic-two])',
          '      --> KTABLE-SOURCE-0000000005',
          '    Processor: KTABLE-SOURCE-0000000005 (stores: [])',
          '      --> none',
          '      <-- KSTREAM-SOURCE-0000000004',
          '',
        ].join('\n'),
      ].sort(),
    );
  });

  // StreamsBuilderTest.shouldUseSpecifiedNameForStreamSourceProcessor and
  // shouldUseSpecifiedNameForGlobalTableSourceProcessor.
  it('a named stream or global table source draws the generated index as Kafka Streams does', () => {
    const b = new StreamsBuilder();
    b.stream('stream-topic', Consumed.with(S, S).withName('source-node'));
    b.stream('stream-topic-two', Consumed.with(S, S));
    const names = b
      .build()
      .describe()
      .subtopologies.flatMap((s) => s.nodes.map((n) => n.name));
    expect(names.sort()).toEqual(['KSTREAM-SOURCE-0000000001', 'source-node']);

    const g = new StreamsBuilder();
    g.globalTable('stream-topic', Consumed.with(S, S).withName('source-processor'));
    g.globalTable('stream-topic-two', Consumed.with(S, S));
    const text = g.build().describe().toString();
    expect(text).toContain(
      [
        '    Source: source-processor-source (topics: [stream-topic])',
        '      --> source-processor',
        '    Processor: source-processor (stores: [stream-topic-STATE-STORE-0000000000])',
        '      --> none',
        '      <-- source-processor-source',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '    Source: KSTREAM-SOURCE-0000000004 (topics: [stream-topic-two])',
        '      --> KTABLE-SOURCE-0000000005',
        '    Processor: KTABLE-SOURCE-0000000005 (stores: [stream-topic-two-STATE-STORE-0000000003])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000004',
      ].join('\n'),
    );
  });

  // Kafka Streams' KStreamImplTest.shouldSupportTableTableJoinWithKStreamToKTable prints the merge
  // node's inputs `KTABLE-JOINTHIS-..., KTABLE-JOINOTHER-...` although a plain sort by final sizes
  // and names gives the other order: its predecessor sets are ordered by the sizes of the moment
  // they are filled. The same graph from two `builder.table`s:
  it('lists the inputs of a table-table join merge node in Kafka Streams order', () => {
    const b = new StreamsBuilder();
    const l = b.table('left', Consumed.with(S, S));
    const r = b.table('right', Consumed.with(S, S));
    l.join(r, (a: string, c: string) => a + c)
      .toStream()
      .to('output', Produced.with(S, S));
    const text = b.build().describe().toString();
    expect(text).toContain(
      [
        '    Processor: KTABLE-MERGE-0000000006 (stores: [])',
        '      --> KTABLE-TOSTREAM-0000000009',
        '      <-- KTABLE-JOINTHIS-0000000007, KTABLE-JOINOTHER-0000000008',
      ].join('\n'),
    );
  });

  it('rejects malformed graphs with errors naming the node', () => {
    const t = new Topology().addSource({ name: 'src', topics: ['a'] });
    expect(() => t.addProcessor('p', () => ({ process() {} }), 'missing')).toThrow(/Parent "missing" of "p"/);
    expect(() => t.addSource({ name: 'src', topics: ['b'] })).toThrow(/"src" is already in the topology/);
    expect(() => t.addSource({ name: 'src2', topics: ['a'] })).toThrow(
      /Topic "a" is already read by source "src"/,
    );
    expect(() => Named.as('bad name')).toThrow(/not a legal name/);
  });
});
