import {
  Consumed,
  Materialized,
  Produced,
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  TimeWindows,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores } from '../../src/state';

const S = Serdes.String();

/** `Materialized.as(storeSupplier)`: the DSL builds its store from the supplier (kind, name, retention). */
describe('Materialized.as(storeSupplier) in the DSL', () => {
  it('table(), KTable.filter and aggregations take key-value suppliers: in-memory or persistent, named by the supplier', async () => {
    const b = new StreamsBuilder();
    const table = b.table(
      'prices',
      Consumed.with(S, S),
      Materialized.as<string, string>(Stores.inMemoryKeyValueStore('prices-mem')),
    );
    table
      .filter(
        (_k, v) => v !== 'skip',
        undefined,
        Materialized.as(Stores.persistentKeyValueStore('prices-kept')),
      )
      .toStream()
      .to('kept', Produced.with(S, S));
    b.stream('clicks', Consumed.with(S, S))
      .groupByKey()
      .count(Materialized.as(Stores.persistentKeyValueStore('click-counts')));
    const d = await TopologyTestDriver.create(b.build());
    try {
      d.createInputTopic('prices', S, S).pipeInput('a', '1', 1);
      d.createInputTopic('prices', S, S).pipeInput('b', 'skip', 2);
      d.createInputTopic('clicks', S, S).pipeInput('u', 'x', 3);
      expect(d.getStateStore('prices-mem')!.persistent).toBe(false);
      expect(d.getStateStore('prices-kept')!.persistent).toBe(true);
      expect(d.getStateStore('click-counts')!.persistent).toBe(true);
      expect(d.getKeyValueStore<string, string>('prices-mem')!.get('b')).toBe('skip');
      expect(d.getKeyValueStore<string, string>('prices-kept')!.get('b')).toBeUndefined();
      expect(d.getKeyValueStore<string, string>('prices-kept')!.get('a')).toBe('1');
      expect(d.getKeyValueStore<string, number>('click-counts')!.get('u')).toBe(1);
      expect([...d.producedTopicNames()].sort()).toEqual([
        'kept',
        'test-driver-click-counts-changelog',
        'test-driver-prices-kept-changelog',
        'test-driver-prices-mem-changelog',
      ]);
    } finally {
      await d.close();
    }
  });

  it('windowed aggregations take window and session suppliers (time, sliding, session)', async () => {
    const b = new StreamsBuilder();
    const grouped = b.stream('in', Consumed.with(S, S)).groupByKey();
    grouped
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
      .count(Materialized.as(Stores.inMemoryWindowStore('tumbling-mem', 15, 10, false)));
    grouped
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5))
      .count(Materialized.as(Stores.persistentWindowStore('sliding-disk', 25, 10, false)));
    grouped
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 5))
      .count(Materialized.as(Stores.inMemorySessionStore('sessions-mem', 15)));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const input = d.createInputTopic('in', S, S);
      input.pipeInput('k', 'x', 12);
      input.pipeInput('k', 'x', 14);
      expect(d.getStateStore('tumbling-mem')!.persistent).toBe(false);
      expect(d.getStateStore('sliding-disk')!.persistent).toBe(true);
      expect(d.getStateStore('sessions-mem')!.persistent).toBe(false);
      expect(d.getWindowStore<string, number>('tumbling-mem')!.fetch('k', 10)).toBe(2);
      expect(d.getWindowStore<string, number>('sliding-disk')!.fetch('k', 4)).toBe(2); // [4, 14]
      expect(d.getSessionStore<string, number>('sessions-mem')!.fetchSession('k', 12, 14)).toBe(2);
    } finally {
      await d.close();
    }
  });

  it('a supplier of the wrong kind stops the topology build with a message naming the store', () => {
    const b = new StreamsBuilder();
    const grouped = b.stream('in', Consumed.with(S, S)).groupByKey();
    expect(() =>
      grouped
        .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
        .count(Materialized.as(Stores.inMemoryKeyValueStore('kv'))),
    ).toThrow(/"kv".*window store supplier/);
    expect(() => grouped.count(Materialized.as(Stores.inMemoryWindowStore('win', 10, 10, false)))).toThrow(
      /"win".*key-value store supplier/,
    );
    expect(() =>
      grouped
        .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10))
        .count(Materialized.as(Stores.inMemoryWindowStore('win2', 10, 10, false))),
    ).toThrow(/"win2".*session store supplier/);
  });
});
