import {
  Consumed,
  KeyValueStore,
  Processor,
  ProcessorContext,
  Produced,
  PunctuationType,
  Record,
  Serdes,
  Stores,
  StreamsBuilder,
  Topology,
  ValueTransformer,
  ValueTransformerWithKey,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { InvalidStateStoreError, Window, Windowed } from '../../src/state';

const S = Serdes.String();
const I = Serdes.Integer();

describe('DSL bridges to the Processor API', () => {
  it('transformValues keeps a running total per key in a store (the seed rewards shape)', async () => {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('points'), S, I));
    class Rewards implements ValueTransformer<number, string> {
      private store!: KeyValueStore<string, number>;
      private closed = false;
      init(ctx: ProcessorContext<unknown, string>) {
        this.store = ctx.getStateStore('points');
      }
      transform(value: number): string {
        const total = (this.store.get('all') ?? 0) + value;
        this.store.put('all', total);
        return `${value}/${total}`;
      }
      close() {
        this.closed = true;
      }
    }
    const made: Rewards[] = [];
    b.stream('buys', Consumed.with(S, I))
      .transformValues(() => {
        const r = new Rewards();
        made.push(r);
        return r;
      }, 'points')
      .to('rewards', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    const input = d.createInputTopic('buys', S, I);
    input.pipeInput('c1', 10);
    input.pipeInput('c2', 5);
    const out = d.createOutputTopic('rewards', S, S).readKeyValuesToList();
    expect(out.map((kv) => `${kv.key}:${kv.value}`)).toEqual(['c1:10/10', 'c2:5/15']);
    expect(d.getKeyValueStore<string, number>('points')!.get('all')).toBe(15);
    await d.close();
    expect(made).toHaveLength(1);
    expect((made[0] as unknown as { closed: boolean }).closed).toBe(true);
  });

  it('transformValues with a key-aware transformer sees the read-only key', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .transformValues((): ValueTransformerWithKey<string, string, string> => ({
        transform: (k, v) => `${k}=${v}`,
      }))
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    d.createInputTopic('in', S, S).pipeInput('k', 'v');
    expect(d.createOutputTopic('out', S, S).readValuesToList()).toEqual(['k=v']);
    await d.close();
  });

  it('processValues forwards new values and refuses a changed key', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .processValues((): Processor<string, string, string, string> => {
        let ctx!: ProcessorContext<string, string>;
        return {
          init: (c) => (ctx = c),
          process: (r) =>
            ctx.forward(
              r.key === 'bad' ? r.withKey('other').withValue('x') : r.withValue(r.value.toUpperCase()),
            ),
        };
      })
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build());
    const input = d.createInputTopic('in', S, S);
    input.pipeInput('k', 'abc');
    expect(d.createOutputTopic('out', S, S).readKeyValuesToList()).toEqual([{ key: 'k', value: 'ABC' }]);
    expect(() => input.pipeInput('bad', 'v')).toThrow(/must not change the key/);
    await d.close();
  });

  it('the stock-performance shape: a stream-time punctuator forwards entries above a threshold', async () => {
    class StockPerformance implements Processor<string, number, string, string> {
      private ctx!: ProcessorContext<string, string>;
      private store!: KeyValueStore<string, number>;
      init(ctx: ProcessorContext<string, string>) {
        this.ctx = ctx;
        this.store = ctx.getStateStore('perf');
        ctx.schedule(10_000, PunctuationType.STREAM_TIME, (ts) => {
          const it = this.store.all();
          try {
            for (let n = it.next(); !n.done; n = it.next()) {
              if (n.value.value > 2) this.ctx.forward(new Record(n.value.key, `${n.value.value}%`, ts));
            }
          } finally {
            it.close();
          }
        });
      }
      process(r: Record<string, number>) {
        this.store.put(r.key, r.value);
      }
    }
    const t = new Topology()
      .addSource({
        name: 'src',
        topics: ['stocks'],
        keyDeserializer: S.deserializer(),
        valueDeserializer: I.deserializer(),
      })
      .addProcessor('perf-proc', () => new StockPerformance(), 'src')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('perf'), S, I))
      .connectProcessorAndStateStores('perf-proc', 'perf')
      .addSink('sink', 'perf-out', S.serializer(), S.serializer(), undefined, 'perf-proc');
    const d = await TopologyTestDriver.create(t, { initialWallClockTimeMs: 0 });
    const input = d.createInputTopic('stocks', S, I);
    input.pipeInput('XXX', 5, 0); // first punctuation at stream time 0
    input.pipeInput('YYY', 1, 1000);
    input.pipeInput('ZZZ', 3, 9000);
    const out = d.createOutputTopic('perf-out', S, S);
    expect(out.readKeyValuesToList()).toEqual([{ key: 'XXX', value: '5%' }]);
    d.advanceWallClockTime(60_000); // wall-clock time does not drive a STREAM_TIME punctuator
    expect(out.readKeyValuesToList()).toEqual([]);
    input.pipeInput('YYY', 4, 10_000);
    expect(out.readKeyValuesToList().map((kv) => `${kv.key}:${kv.value}`)).toEqual([
      'XXX:5%',
      'YYY:4%',
      'ZZZ:3%',
    ]);
    expect(d.getKeyValueStore<string, number>('perf')!.approximateNumEntries()).toBe(3);
    await d.close();
  });

  it('getWindowStore / getSessionStore give typed stores and refuse the wrong kind', async () => {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.windowStoreBuilder(Stores.inMemoryWindowStore('win', 60_000, 1000, false), S, I));
    b.addStateStore(Stores.sessionStoreBuilder(Stores.inMemorySessionStore('sess', 60_000), S, I));
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('kv'), S, I));
    b.stream('in', Consumed.with(S, I)).process(
      () => ({
        process() {},
      }),
      'win',
      'sess',
      'kv',
    );
    const d = await TopologyTestDriver.create(b.build());
    const win = d.getWindowStore<string, number>('win')!;
    win.put('a', 7, 1000);
    expect(win.fetch('a', 1000)).toBe(7);
    const sess = d.getSessionStore<string, number>('sess')!;
    sess.put(new Windowed('a', new Window(0, 10)), 3);
    const it = sess.fetch('a');
    try {
      expect(it.next().value?.value).toBe(3);
    } finally {
      it.close();
    }
    expect(() => d.getWindowStore('kv')).toThrow(InvalidStateStoreError);
    expect(() => d.getKeyValueStore('win')).toThrow(/not a key-value store/);
    expect(d.getKeyValueStore('missing')).toBeUndefined();
    await d.close();
  });
});
