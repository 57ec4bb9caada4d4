/**
 * Headers of windowed aggregations' cached updates (a hopping-window count over a timestamped window
 * store, a session count over a session store, both with the DSL's default record cache) against a
 * brute-force model written here. Kafka Streams' caching window and session stores keep the record
 * context of each entry's latest write (`LRUCacheEntry`) and set it before the flush listener
 * forwards (`CachingWindowStore`/`CachingSessionStore.putAndMaybeForward`), so an update that leaves
 * the cache, on a commit or on an eviction, carries the headers of the record that wrote it last.
 *
 * Each input record is a batch of updates, each forwarded as its own record with its own header
 * (`u`, or none); the test driver flushes the caches after each batch. Every aggregate the model
 * computes names the update that produced it: a window's n-th count (a session's start, end and
 * count) comes from exactly one update, a merged-away session's tombstone from the update that
 * merged it. So whenever the cache forwards (at the batch's flush or on an eviction inside it,
 * which the model need not predict), the record's headers must be that update's. Small caches make
 * evictions happen (a window forwarded twice within one batch), large ones only flushes; after the
 * last batch the latest forwarded aggregates must be the model's.
 */
import {
  Consumed,
  Grouped,
  Materialized,
  Produced,
  Record,
  Serdes,
  SessionWindows,
  StreamsBuilder,
  TimeWindows,
  WindowedSerdes,
  type Headers,
  type ProcessorContext,
  type Serde,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import type { Windowed } from '../../src/state';
import { pick, seededRandom } from './dsl-test-helpers';

const S = Serdes.String();
const LONG = Serdes.Long() as Serde<number>;
const SIZE = 100;
const ADVANCE = 50;
const GAP = 20;
const GRACE = 1_000_000;

/** Key, timestamp, the update's `u` header (`null`: no headers). */
type Update = [string, number, string | null];

const headersOf = (u: string | null): Headers => (u === null ? {} : { u, other: 'x' });

/** The windowed key and value as a string naming the aggregate (see the file comment). */
const windowId = (key: string, start: number, end: number, value: number | null) =>
  `${key}@${start}-${end}#${value ?? 'deleted'}`;

interface Model {
  /** The updates (their `u` headers) that produce each aggregate id; one, except for tombstones. */
  readonly producedBy: Map<string, Array<string | null>>;
  /** Applies one update. */
  apply(key: string, ts: number, u: string | null): void;
  /** The live aggregates at the end, as ids. */
  final(): string[];
}

function produced(m: Map<string, Array<string | null>>, id: string, u: string | null): void {
  const us = m.get(id);
  if (us === undefined) m.set(id, [u]);
  else us.push(u);
}

/** Hopping windows (size 100, advance 50), nothing late: the count of each window. */
function windowModel(): Model {
  const producedBy = new Map<string, Array<string | null>>();
  const counts = new Map<string, { key: string; start: number; n: number }>();
  return {
    producedBy,
    apply(key, ts, u) {
      for (let start = 0; start <= ts; start += ADVANCE) {
        if (ts >= start + SIZE) continue;
        const id = `${key}@${start}`;
        const c = counts.get(id) ?? { key, start, n: 0 };
        c.n++;
        counts.set(id, c);
        produced(producedBy, windowId(key, start, start + SIZE, c.n), u);
      }
    },
    final: () => [...counts.values()].map((c) => windowId(c.key, c.start, c.start + SIZE, c.n)),
  };
}

/** Session windows (gap 20), nothing late: merges, and the tombstones of merged-away sessions. */
function sessionModel(): Model {
  const producedBy = new Map<string, Array<string | null>>();
  const sessions = new Map<string, Array<{ start: number; end: number; n: number }>>();
  return {
    producedBy,
    apply(key, ts, u) {
      const list = sessions.get(key) ?? [];
      const merged = list.filter((s) => s.end >= ts - GAP && s.start <= ts + GAP);
      const start = Math.min(ts, ...merged.map((s) => s.start));
      const end = Math.max(ts, ...merged.map((s) => s.end));
      const n = 1 + merged.reduce((sum, s) => sum + s.n, 0);
      for (const s of merged) produced(producedBy, windowId(key, s.start, s.end, null), u);
      const rest = list.filter((s) => !merged.includes(s));
      rest.push({ start, end, n });
      sessions.set(key, rest);
      produced(producedBy, windowId(key, start, end, n), u);
    },
    final: () =>
      [...sessions.entries()].flatMap(([key, list]) => list.map((s) => windowId(key, s.start, s.end, s.n))),
  };
}

async function runSeed(kind: 'window' | 'session', seed: number, maxBytes: number) {
  const random = seededRandom(seed);
  const b = new StreamsBuilder();
  const updates = b
    .stream('batches', Consumed.with(S, Serdes.Json<Update[]>()))
    .process<string, string>(() => {
      let context!: ProcessorContext<string, string>;
      return {
        init: (c) => (context = c),
        process: (r) => {
          for (const [k, ts, u] of r.value) context.forward(new Record(k, 'x', ts, headersOf(u)));
        },
      };
    })
    .groupByKey(Grouped.with(S, S));
  const keySerde: Serde<Windowed<string>> =
    kind === 'window'
      ? WindowedSerdes.timeWindowedSerdeFrom(S, SIZE)
      : WindowedSerdes.sessionWindowedSerdeFrom(S);
  const counts =
    kind === 'window'
      ? updates
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE).advanceBy(ADVANCE))
          .count(Materialized.as<string, number>('window-counts'))
      : updates
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(GAP, GRACE))
          .count(Materialized.as<string, number>('session-counts'));
  counts.toStream().to('out', Produced.with(keySerde, LONG));
  const model = kind === 'window' ? windowModel() : sessionModel();

  const d = await TopologyTestDriver.create(b.build(), {
    applicationId: `windowed-cache-headers-${kind}-${seed}`,
    cacheMaxBytesBuffering: maxBytes,
  });
  let evictedTwice = 0;
  let forwarded = 0;
  const latest = new Map<string, string>();
  try {
    const input = d.createInputTopic('batches', S, Serdes.Json<Update[]>());
    const out = d.createOutputTopic('out', keySerde, LONG);
    const keys = 2 + pick(random, 6);
    let base = 0;
    for (let batch = 0; batch < 80; batch++) {
      const batchUpdates: Update[] = [];
      const n = 1 + pick(random, 25);
      for (let i = 0; i < n; i++) {
        base += pick(random, 8);
        const ts = Math.max(0, base - pick(random, 60));
        batchUpdates.push([`k${pick(random, keys)}`, ts, random() < 0.2 ? null : `${batch}.${i}`]);
      }
      input.pipeInput(`b${batch}`, batchUpdates, base);
      for (const [k, ts, u] of batchUpdates) model.apply(k, ts, u);
      const seen = new Set<string>();
      for (const r of out.readRecordsToList()) {
        const w = r.key!;
        const window = `${w.key()}@${w.window().start()}-${w.window().end()}`;
        const id = windowId(w.key(), w.window().start(), w.window().end(), r.value);
        const us = model.producedBy.get(id);
        // the aggregate is one the model computed, and the headers are those of the update that
        // produced it (of one of the updates that merged such a session away, for a tombstone)
        expect({ batch, id, known: us !== undefined }).toEqual({ batch, id, known: true });
        expect({ batch, id, allowed: us!.map(headersOf) }).toEqual({
          batch,
          id,
          allowed: expect.arrayContaining([r.headers]),
        });
        if (seen.has(window)) evictedTwice++;
        seen.add(window);
        latest.set(window, id);
        forwarded++;
      }
    }
  } finally {
    await d.close();
  }
  const live = [...latest.values()].filter((id) => !id.endsWith('#deleted')).sort();
  expect(live).toEqual(model.final().sort());
  return { evictedTwice, forwarded };
}

describe.each(['window', 'session'] as const)(
  'cached %s aggregates forward the headers of the update that wrote them last (brute-force model)',
  (kind) => {
    it.each([1, 2, 3, 4, 5, 6])('seed %i: a small cache (evictions inside batches)', async (seed) => {
      const { evictedTwice, forwarded } = await runSeed(kind, seed, 300 + seed * 150);
      expect(forwarded).toBeGreaterThan(0);
      expect(evictedTwice).toBeGreaterThan(0);
    });

    it.each([11, 12, 13])('seed %i: a large cache (flushed only at commits)', async (seed) => {
      const { evictedTwice, forwarded } = await runSeed(kind, seed, 10 * 1024 * 1024);
      expect(forwarded).toBeGreaterThan(0);
      expect(evictedTwice).toBe(0);
    });
  },
);
