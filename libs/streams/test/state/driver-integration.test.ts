import { Record, Serdes, Topology, type Processor, type ProcessorContext } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores, type KeyValueStore } from '../../src/state';
import { drain } from './state-test-context';

/** The seed's stock-performance shape: a running total per symbol in a store, forwarded downstream. */
class TotalsProcessor implements Processor<string, number, string, number> {
  private context!: ProcessorContext<string, number>;
  private store!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, number>): void {
    this.context = context;
    this.store = context.getStateStore<KeyValueStore<string, number>>('totals');
  }

  process(record: Record<string, number>): void {
    const total = (this.store.get(record.key) ?? 0) + record.value;
    this.store.put(record.key, total);
    this.context.forward(new Record(record.key, total, record.timestamp));
  }
}

describe.each([
  ['in-memory', () => Stores.inMemoryKeyValueStore('totals')],
  ['persistent', () => Stores.persistentKeyValueStore('totals')],
])('%s store in a topology run by the TopologyTestDriver', (_kind, supplier) => {
  it('keeps per-key state across records and logs every change to the changelog topic', async () => {
    const topology = new Topology()
      .addSource({
        name: 'trades',
        topics: ['trades'],
        keyDeserializer: Serdes.String().deserializer(),
        valueDeserializer: Serdes.Double().deserializer(),
      })
      .addProcessor('totals-processor', () => new TotalsProcessor(), 'trades')
      .addStateStore(
        Stores.keyValueStoreBuilder(supplier(), Serdes.String(), Serdes.Double()),
        'totals-processor',
      )
      .addSink(
        'out',
        'totals-out',
        Serdes.String().serializer(),
        Serdes.Double().serializer(),
        undefined,
        'totals-processor',
      );
    const driver = await TopologyTestDriver.create(topology, { applicationId: 'stocks' });
    try {
      const input = driver.createInputTopic('trades', Serdes.String(), Serdes.Double());
      input.pipeInput('AAPL', 10, 1_000);
      input.pipeInput('MSFT', 5, 2_000);
      input.pipeInput('AAPL', 2.5, 3_000);
      const out = driver.createOutputTopic('totals-out', Serdes.String(), Serdes.Double());
      expect(out.readRecordsToList().map((r) => [r.key, r.value])).toEqual([
        ['AAPL', 10],
        ['MSFT', 5],
        ['AAPL', 12.5],
      ]);
      const store = driver.getStateStore<KeyValueStore<string, number>>('totals');
      expect(store?.get('AAPL')).toBe(12.5);
      expect(drain(store!.all())).toEqual([
        ['AAPL', 12.5],
        ['MSFT', 5],
      ]);
      const changelog = driver.createOutputTopic('stocks-totals-changelog', Serdes.String(), Serdes.Double());
      expect(changelog.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
        ['AAPL', 10, 1_000],
        ['MSFT', 5, 2_000],
        ['AAPL', 12.5, 3_000],
      ]);
    } finally {
      await driver.close();
    }
  });
});

describe('cached store in a topology run by the TopologyTestDriver', () => {
  it('forwards cached updates to the changelog when the driver commits after each input', async () => {
    const topology = new Topology()
      .addSource({
        name: 'trades',
        topics: ['trades'],
        keyDeserializer: Serdes.String().deserializer(),
        valueDeserializer: Serdes.Double().deserializer(),
      })
      .addProcessor('totals-processor', () => new TotalsProcessor(), 'trades')
      .addStateStore(
        Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore('totals'),
          Serdes.String(),
          Serdes.Double(),
        ).withCachingEnabled(),
        'totals-processor',
      );
    const driver = await TopologyTestDriver.create(topology, { applicationId: 'stocks' });
    try {
      const input = driver.createInputTopic('trades', Serdes.String(), Serdes.Double());
      input.pipeInput('AAPL', 1, 10);
      input.pipeInput('AAPL', 2, 20);
      const changelog = driver.createOutputTopic('stocks-totals-changelog', Serdes.String(), Serdes.Double());
      expect(changelog.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
        ['AAPL', 1, 10],
        ['AAPL', 3, 20],
      ]);
    } finally {
      await driver.close();
    }
  });
});
