import {
  KeyValueStore,
  Processor,
  ProcessorContext,
  Record,
  Serdes,
  Stores,
  Topology,
  TopologyError,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { pick, seededRandom } from '../kstream/dsl-test-helpers';

const S = Serdes.String();
const N = Serdes.Integer();

/** The global store's processor: keeps the running total of the amounts seen per key (not the last value). */
class TotalUpdater implements Processor<string, number, never, never> {
  private store!: KeyValueStore<string, number>;
  init(context: ProcessorContext<never, never>): void {
    this.store = context.getStateStore<KeyValueStore<string, number>>('totals');
  }
  process(record: Record<string, number>): void {
    if (record.value === null) this.store.delete(record.key);
    else this.store.put(record.key, (this.store.get(record.key) ?? 0) + record.value);
  }
}

/** A stream processor reading the global store: `<key>:<total at that moment>`. */
class TotalReader implements Processor<string, string, string, string> {
  private context!: ProcessorContext<string, string>;
  private store!: KeyValueStore<string, number>;
  init(context: ProcessorContext<string, string>): void {
    this.context = context;
    this.store = context.getStateStore<KeyValueStore<string, number>>('totals');
  }
  process(record: Record<string, string>): void {
    this.context.forward(record.withValue(`${record.value}:${this.store.get(record.value) ?? 'none'}`));
  }
}

function topology(): Topology {
  return new Topology()
    .addGlobalStore(
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('totals'), S, N).withLoggingDisabled(),
      'amounts-source',
      S.deserializer(),
      N.deserializer(),
      'amounts',
      'amounts-updater',
      () => new TotalUpdater(),
    )
    .addSource({
      name: 'lookups-source',
      topics: ['lookups'],
      keyDeserializer: S.deserializer(),
      valueDeserializer: S.deserializer(),
    })
    .addProcessor('reader', () => new TotalReader(), 'lookups-source')
    .addSink('sink', 'answers', S.serializer(), S.serializer(), undefined, 'reader');
}

describe('Topology.addGlobalStore (Processor API)', () => {
  it('describe() prints the global store sub-topology as Kafka Streams does', () => {
    expect(topology().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0 for global store (will not generate tasks)\n' +
        '    Source: amounts-source (topics: [amounts])\n' +
        '      --> amounts-updater\n' +
        '    Processor: amounts-updater (stores: [totals])\n' +
        '      --> none\n' +
        '      <-- amounts-source\n' +
        '  Sub-topology: 1\n' +
        '    Source: lookups-source (topics: [lookups])\n' +
        '      --> reader\n' +
        '    Processor: reader (stores: [])\n' +
        '      --> sink\n' +
        '      <-- lookups-source\n' +
        '    Sink: sink (topic: answers)\n' +
        '      <-- reader\n\n',
    );
    const g = topology().describe().globalStores;
    expect(g.map((s) => [s.id, s.source.name, s.processor.name])).toEqual([
      [0, 'amounts-source', 'amounts-updater'],
    ]);
  });

  it('the processor (not a raw copy) updates the store; stream processors read it: equal to a brute-force model', async () => {
    const d = await TopologyTestDriver.create(topology(), { applicationId: 'global-store' });
    const amounts = d.createInputTopic('amounts', S, N);
    const lookups = d.createInputTopic('lookups', S, S);
    const answers = d.createOutputTopic('answers', S, S);
    const rnd = seededRandom(14);
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const model = new Map<string, number>();
    const expected: string[] = [];
    for (let i = 0; i < 400; i++) {
      const k = keys[pick(rnd, keys.length)];
      const r = rnd();
      if (r < 0.5) {
        const v = Math.floor(rnd() * 100);
        amounts.pipeInput(k, v);
        model.set(k, (model.get(k) ?? 0) + v);
      } else if (r < 0.55) {
        amounts.pipeInput(k, null);
        model.delete(k);
      } else {
        lookups.pipeInput(`q${i}`, k);
        expected.push(`${k}:${model.get(k) ?? 'none'}`);
      }
    }
    expect(answers.readValuesToList()).toEqual(expected);
    const store = d.getKeyValueStore<string, number>('totals')!;
    for (const k of keys) expect(store.get(k) ?? undefined).toBe(model.get(k));
    // the global topic is the store's changelog: no changelog topic is written
    expect(d.producedTopicNames().filter((t) => t.endsWith('-changelog'))).toEqual([]);
    await d.close();
  });

  it('a global store is readable by every processor without connecting it; connecting it is refused as in Kafka Streams', () => {
    expect(() => topology().connectProcessorAndStateStores('reader', 'totals')).toThrow(
      new TopologyError(
        'Global StateStore totals can be used by a Processor without being specified; it should not be explicitly passed.',
      ),
    );
  });

  it('a store builder with logging enabled is refused, as in Kafka Streams', () => {
    expect(() =>
      new Topology().addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('logged'), S, N),
        'src',
        S.deserializer(),
        N.deserializer(),
        'topic',
        'proc',
        () => new TotalUpdater(),
      ),
    ).toThrow(new TopologyError('StateStore logged for global table must not have logging enabled'));
  });

  it('the timestamp-extractor form sets the global source timestamps', async () => {
    const seen: number[] = [];
    const t = new Topology().addGlobalStore(
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('ts'), S, N).withLoggingDisabled(),
      'ts-source',
      { extract: (r) => (r.value as number) * 1000 },
      S.deserializer(),
      N.deserializer(),
      'ts-topic',
      'ts-proc',
      { get: () => ({ process: (r: Record<string, number>) => void seen.push(r.timestamp) }) },
    );
    const d = await TopologyTestDriver.create(t);
    const input = d.createInputTopic('ts-topic', S, N);
    input.pipeInput('a', 3, 10);
    input.pipeInput('b', 7, 20);
    expect(seen).toEqual([3000, 7000]);
    await d.close();
  });
});
