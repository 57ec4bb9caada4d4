/**
 * A Processor API processor over a cached key-value store with a flush listener: the headers the
 * listener gets with what leaves the cache are those of the record its processor was processing at the
 * write, as forwarded to it (Kafka Streams' `ProcessorContextImpl.forward` points the record context
 * at each forwarded record's headers, and the cache entry keeps that context), not the source
 * record's; a write in a punctuation has none.
 */
import {
  Processor,
  ProcessorContext,
  PunctuationType,
  Record,
  Serdes,
  Topology,
  type Headers,
} from '../../src';
import { Stores, type KeyValueStore, type CachedStateStore } from '../../src/state';
import { TopologyTestDriver } from '../../src/testing';

const S = Serdes.String();

class Stamp implements Processor<string, string, string, string> {
  private ctx!: ProcessorContext<string, string>;
  init(ctx: ProcessorContext<string, string>) {
    this.ctx = ctx;
  }
  process(r: Record<string, string>) {
    // a new headers object: the source record's stay as they were
    this.ctx.forward(r.withHeaders({ ...r.headers, stamped: `by-stamp-${r.value}` }));
  }
}

/** What leaves the cache: key, value, headers. */
const flushed: Array<[string, string | null, Headers]> = [];

class Remember implements Processor<string, string, never, never> {
  private store!: KeyValueStore<string, string> & CachedStateStore<string, string>;
  init(ctx: ProcessorContext<never, never>) {
    this.store = ctx.getStateStore('remembered');
    this.store.setFlushListener((key, value, _old, _ts, headers) => flushed.push([key, value, headers]));
    ctx.schedule(100, PunctuationType.STREAM_TIME, (ts) => {
      if (ts >= 100) this.store.put('tick', 'punctuated');
    });
  }
  process(r: Record<string, string>) {
    this.store.put(r.key, r.value);
  }
}

describe('a cached store written by a Processor API processor', () => {
  it("hands the flush listener the headers its processor received with each key's latest write", async () => {
    const t = new Topology()
      .addSource({
        name: 'src',
        topics: ['in'],
        keyDeserializer: S.deserializer(),
        valueDeserializer: S.deserializer(),
      })
      .addProcessor('stamp', () => new Stamp(), 'src')
      .addProcessor('remember', () => new Remember(), 'stamp')
      .addStateStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('remembered'), S, S).withCachingEnabled(),
        'remember',
      );
    const d = await TopologyTestDriver.create(t);
    try {
      const input = d.createInputTopic('in', S, S);
      input.pipeInput('a', '1', 10, { source: 'one' });
      input.pipeInput('b', '2', 20);
      input.pipeInput('a', '3', 150, { source: 'three' }); // stream time 150: the punctuation writes 'tick'
      expect(flushed).toEqual([
        ['a', '1', { source: 'one', stamped: 'by-stamp-1' }],
        ['b', '2', { stamped: 'by-stamp-2' }],
        ['a', '3', { source: 'three', stamped: 'by-stamp-3' }],
        ['tick', 'punctuated', {}],
      ]);
    } finally {
      await d.close();
    }
  });
});
