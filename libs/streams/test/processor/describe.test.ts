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
