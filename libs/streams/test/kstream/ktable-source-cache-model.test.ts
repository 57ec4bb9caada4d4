/**
 * A cached source table (Kafka Streams' `KTableSource` over a `CachingKeyValueStore` in the thread's
 * `ThreadCache`) against a brute-force model written here. Kafka Streams' `KTableSource.process`
 * reads the key's row before every write when the table is materialized; through the cache that read
 * moves a cached key to the LRU head or, when the key is only in the store below, puts the stored row
 * into the cache as a clean entry, and that put may evict (an evicted dirty entry flushes the cache's
 * dirty entries, which go downstream) before the write itself is cached. The model follows
 * `ThreadCache.put`/`maybeEvict`, `NamedCache.evict`/`flush` and `CachingKeyValueStore.putAndMaybeForward`
 * (this library's entry size: key, value and 64 bytes).
 *
 * Each input record is a batch of table updates that `flatMap` writes to the table's topic; the test
 * driver processes a batch's records (and the repartition records they cause, in arrival order)
 * before its commit-like flush, so evictions inside a batch decide what goes downstream and when.
 * After each batch, the table's output (`toStream`) and a `groupBy`/`aggregate` behind it (which
 * makes the table send old values; caching off, so every update it receives shows) must equal the model's.
 *
 * Each update carries its own header (`u`: batch and index; some updates none): a cache entry keeps the
 * headers of the record that wrote it and a flush or an eviction forwards them (Kafka Streams'
 * `LRUCacheEntry` record context, set by `putAndMaybeForward` before the listener forwards), so the
 * latest update's headers go downstream, to the table's output and through the repartition topic.
 */
import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Produced,
  Record,
  Serdes,
  StreamsBuilder,
} from '../../src';
import type { Headers, ProcessorContext } from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import type { TestOutputTopic } from '../../src/testing';
import { pick, seededRandom } from './dsl-test-helpers';

/** This library's record cache counts an entry as its key, its value and this many bytes. */
const ENTRY_OVERHEAD = 64;

/** Key, value (`null`: a delete), the update's `u` header (`null`: no headers). */
type Update = [string, string | null, string | null];

interface Entry {
  key: string;
  /** The stored form's size: an 8-byte timestamp then the value; `null` = a tombstone. */
  value: string | null;
  timestamp: number;
  dirty: boolean;
  /** The writing update's `u` header (`null`: none; a clean entry's, never forwarded). */
  header: string | null;
}

interface Forwarded {
  key: string;
  newValue: string | null;
  oldValue: string | null;
  timestamp: number;
  header: string | null;
}

const entrySize = (e: Entry) =>
  Buffer.byteLength(e.key) + (e.value === null ? 0 : 8 + Buffer.byteLength(e.value)) + ENTRY_OVERHEAD;

/** Kafka Streams' cached source table: one named cache in a thread cache of `max` bytes, and the store below. */
class SourceTableModel {
  private readonly lru = new Map<string, Entry>(); // insertion order = LRU order (eldest first)
  private readonly dirty = new Set<string>(); // insertion order = dirty order
  private size = 0;
  readonly store = new Map<string, { value: string; timestamp: number }>();

  constructor(
    private readonly max: number,
    private readonly sendOldValues: boolean,
    private readonly forward: (f: Forwarded) => void,
  ) {}

  /** `KTableSource.process` for a non-null key. */
  process(key: string, value: string | null, timestamp: number, header: string | null): void {
    // store.get(key) through the cache: CachingKeyValueStore.getInternal.
    const cached = this.lru.get(key);
    if (cached !== undefined) this.touch(cached);
    else {
      const stored = this.store.get(key);
      if (stored !== undefined)
        this.put({ key, value: stored.value, timestamp: stored.timestamp, dirty: false, header: null });
    }
    this.put({ key, value, timestamp, dirty: true, header });
  }

  /** A commit: `NamedCache.flush()`. */
  flush(): void {
    this.flushNamed(undefined);
  }

  private touch(e: Entry): void {
    this.lru.delete(e.key);
    this.lru.set(e.key, e);
  }

  /** `ThreadCache.put`: `NamedCache.put`, then `maybeEvict`. */
  private put(e: Entry): void {
    const old = this.lru.get(e.key);
    if (old !== undefined) {
      if (old.dirty && !e.dirty) throw new Error('model: a clean entry over a dirty one');
      this.size -= entrySize(old);
      this.lru.delete(e.key);
    }
    this.lru.set(e.key, e);
    this.size += entrySize(e);
    if (e.dirty) {
      this.dirty.delete(e.key);
      this.dirty.add(e.key);
    }
    while (this.size > this.max) {
      const first = this.lru.values().next();
      if (first.done) return;
      const eldest = first.value;
      this.lru.delete(eldest.key);
      this.size -= entrySize(eldest);
      if (eldest.dirty) this.flushNamed(eldest);
    }
  }

  /** `NamedCache.flush(evicted)`: the evicted entry first, then the dirty keys in order; flushed tombstones leave. */
  private flushNamed(evicted: Entry | undefined): void {
    if (this.dirty.size === 0) return;
    const out: Entry[] = [];
    if (evicted !== undefined) {
      this.dirty.delete(evicted.key);
      evicted.dirty = false;
      out.push(evicted);
    }
    const deleted: Entry[] = [];
    for (const k of this.dirty) {
      const e = this.lru.get(k)!;
      e.dirty = false;
      out.push(e);
      if (e.value === null) deleted.push(e);
    }
    this.dirty.clear();
    for (const e of out) this.putAndMaybeForward(e);
    for (const e of deleted) {
      if (this.lru.get(e.key) !== e) continue;
      this.lru.delete(e.key);
      this.size -= entrySize(e);
    }
  }

  /** `CachingKeyValueStore.putAndMaybeForward` with `TimestampedCacheFlushListener`. */
  private putAndMaybeForward(e: Entry): void {
    const old = e.value === null || this.sendOldValues ? this.store.get(e.key) : undefined;
    if (e.value === null && old === undefined) return;
    if (e.value === null) this.store.delete(e.key);
    else this.store.set(e.key, { value: e.value, timestamp: e.timestamp });
    this.forward({
      key: e.key,
      newValue: e.value,
      oldValue: this.sendOldValues ? (old?.value ?? null) : null,
      timestamp: e.timestamp,
      header: e.header,
    });
  }
}

/** The output records as `[key, value, timestamp, headers]`. */
const withHeaders = (out: TestOutputTopic<string, string>) =>
  out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp, r.headers]);

const add = (agg: string, v: string) => `${agg}+${v}`.slice(-48);
const subtract = (agg: string, v: string) => `${agg}-${v}`.slice(-48);

async function runSeed(seed: number, withAggregate: boolean): Promise<number> {
  const random = seededRandom(seed);
  const keys = 3 + pick(random, 30);
  const max = pick(random, 3000);
  const S = Serdes.String();
  const b = new StreamsBuilder();
  // Each update as its own record with its own headers (a flatMap would give all the batch's headers).
  b.stream('batches', Consumed.with(S, Serdes.Json<Update[]>()))
    .process<string, string | null>(() => {
      let context!: ProcessorContext<string, string | null>;
      return {
        init: (c) => (context = c),
        process: (r) => {
          for (const [k, v, u] of r.value)
            context.forward(new Record(k, v, r.timestamp, u === null ? {} : { u, other: 'x' }));
        },
      };
    })
    .to('rows', Produced.with(S, S));
  const table = b.table('rows', Consumed.with(S, S), Materialized.as<string, string>('rows-store'));
  table.toStream().to('table-out', Produced.with(S, S));
  if (withAggregate)
    table
      .groupBy((k, v) => KeyValue.pair(k, v), Grouped.with(S, S))
      .aggregate<string>(
        () => '',
        (_k, v, agg) => add(agg, v),
        (_k, v, agg) => subtract(agg, v),
        Materialized.as<string, string>('agg-store').withValueSerde(S).withCachingDisabled(),
      )
      .toStream()
      .to('agg-out', Produced.with(S, S));

  const wantTable: Array<[string, string | null, number, Headers]> = [];
  const wantAgg: Array<[string, string | null, number, Headers]> = [];
  const headersOf = (u: string | null): Headers => (u === null ? {} : { u, other: 'x' });
  const aggs = new Map<string, string>();
  const model = new SourceTableModel(max, withAggregate, (f) => {
    wantTable.push([f.key, f.newValue, f.timestamp, headersOf(f.header)]);
    if (!withAggregate) return;
    // KTableRepartitionMap (the group key is the row's key: one record with both values), then KTableAggregate.
    const oldAgg = aggs.get(f.key);
    const inter = f.oldValue !== null && oldAgg !== undefined ? subtract(oldAgg, f.oldValue) : oldAgg;
    const newAgg = f.newValue !== null ? add(inter ?? '', f.newValue) : inter;
    if (newAgg === undefined) aggs.delete(f.key);
    else aggs.set(f.key, newAgg);
    wantAgg.push([f.key, newAgg ?? null, f.timestamp, headersOf(f.header)]);
  });

  const d = await TopologyTestDriver.create(b.build(), {
    applicationId: `source-cache-${seed}`,
    cacheMaxBytesBuffering: max,
  });
  let forwarded = 0;
  try {
    const input = d.createInputTopic('batches', S, Serdes.Json<Update[]>());
    const tableOut = d.createOutputTopic('table-out', S, S);
    const aggOut = withAggregate ? d.createOutputTopic('agg-out', S, S) : undefined;
    for (let batch = 0; batch < 120; batch++) {
      const updates: Update[] = [];
      const n = 1 + pick(random, 30);
      for (let i = 0; i < n; i++) {
        const key = `k${pick(random, keys)}`;
        const value = random() < 0.15 ? null : `${'v'.repeat(pick(random, 90))}${batch}.${i}`;
        updates.push([key, value, random() < 0.2 ? null : `${batch}.${i}`]);
      }
      const timestamp = 1_000 + batch;
      input.pipeInput(`b${batch}`, updates, timestamp);
      for (const [k, v, u] of updates) model.process(k, v, timestamp, u);
      model.flush();
      forwarded += wantTable.length;
      expect({ batch, out: withHeaders(tableOut) }).toEqual({ batch, out: wantTable.splice(0) });
      if (aggOut !== undefined)
        expect({ batch, out: withHeaders(aggOut) }).toEqual({ batch, out: wantAgg.splice(0) });
    }
    const store = d.getKeyValueStore<string, string>('rows-store')!;
    for (let k = 0; k < keys; k++)
      expect(store.get(`k${k}`)).toBe(model.store.get(`k${k}`)?.value ?? undefined);
  } finally {
    await d.close();
  }
  return forwarded;
}

describe('a cached source KTable against a brute-force model of Kafka Streams (read before write through the cache)', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'seed %i: with a groupBy/aggregate behind it (old values sent)',
    async (seed) => {
      expect(await runSeed(seed, true)).toBeGreaterThan(0);
    },
  );

  it.each(Array.from({ length: 6 }, (_, i) => i + 101))(
    'seed %i: toStream only (no old values)',
    async (seed) => {
      expect(await runSeed(seed, false)).toBeGreaterThan(0);
    },
  );
});
