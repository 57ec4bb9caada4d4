/**
 * The keys of cached windowed counts forwarded at a flush and written by a String-keyed sink, against
 * a brute-force model written here. A flush decodes a run of entries of one key with one string
 * (the metered store's last decoded key), and the sink serializes a key equal to the previous
 * record's as the previous record's bytes: a wrong reuse (keys of one length but other bytes, a key a prefix of
 * another, multi-byte characters, the empty key) shows as a record under another key. Each input
 * record is a batch of updates; with Kafka Streams' default cache the test driver forwards each
 * window (session) updated in a batch once, at the batch's commit, with its count then; so the
 * records of a batch are exactly the model's updated aggregates, and each key's bytes are its UTF-8.
 */
import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Produced,
  Record,
  Serdes,
  SessionWindows,
  StreamsBuilder,
  TimeWindows,
  type ProcessorContext,
  type Windowed,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { pick, seededRandom } from './dsl-test-helpers';

const S = Serdes.String();
const SIZE = 100;
const ADVANCE = 25;
const GAP = 30;
const GRACE = 1_000_000;
/** Same lengths with other bytes ('ab'/'ba'/'é' are 2 bytes), prefixes, the empty key. */
const KEYS = ['ab', 'ba', 'é', 'a', 'abc', '', 'b|c', 'ü|c', 'a\u0000'];

/** The aggregate's id as its record carries it: `key@start-end=count`. */
const id = (key: string, start: number, end: number, n: number | null) => `${key}@${start}-${end}=${n}`;

/** Hopping windows, nothing late: the windows a batch updated, with their counts after it. */
function hoppingModel() {
  const counts = new Map<string, number>();
  return (batch: Array<[string, number]>): string[] => {
    const touched = new Map<string, [string, number]>();
    for (const [key, ts] of batch) {
      for (let start = Math.max(0, ts - SIZE + ADVANCE - (ts % ADVANCE)); start <= ts; start += ADVANCE) {
        const w = JSON.stringify([key, start]);
        counts.set(w, (counts.get(w) ?? 0) + 1);
        touched.set(w, [key, start]);
      }
    }
    return [...touched].map(([w, [key, start]]) => id(key, start, start + SIZE, counts.get(w)!)).sort();
  };
}

/**
 * Session windows: a batch's sessions as they stand after it, and tombstones for the sessions it
 * merged away that were in the store before it (one created and merged within the batch never left
 * the cache: Kafka Streams skips a tombstone of a key missing below).
 */
function sessionModel() {
  const sessions = new Map<string, Array<{ start: number; end: number; n: number }>>();
  const stored = new Set<string>();
  return (batch: Array<[string, number]>): string[] => {
    const out = new Map<string, string>();
    for (const [key, ts] of batch) {
      const list = sessions.get(key) ?? [];
      const merged = list.filter((s) => s.end + GAP >= ts && s.start - GAP <= ts);
      const start = Math.min(ts, ...merged.map((s) => s.start));
      const end = Math.max(ts, ...merged.map((s) => s.end));
      const n = 1 + merged.reduce((a, s) => a + s.n, 0);
      for (const s of merged) {
        const w = `${key}@${s.start}-${s.end}`;
        if (stored.has(w)) out.set(w, id(key, s.start, s.end, null));
        else out.delete(w);
      }
      sessions.set(key, [...list.filter((s) => !merged.includes(s)), { start, end, n }]);
      out.set(`${key}@${start}-${end}`, id(key, start, end, n));
    }
    for (const [w, record] of out) {
      if (record.endsWith('=null')) stored.delete(w);
      else stored.add(w);
    }
    return [...out.values()].sort();
  };
}

async function run(kind: 'hopping' | 'session', seed: number): Promise<number> {
  const random = seededRandom(seed);
  const b = new StreamsBuilder();
  const grouped = b
    .stream('batches', Consumed.with(S, Serdes.Json<Array<[string, number]>>()))
    .process<string, string>(() => {
      let context!: ProcessorContext<string, string>;
      return {
        init: (c) => (context = c),
        process: (r) => {
          for (const [k, ts] of r.value) context.forward(new Record(k, 'x', ts, {}));
        },
      };
    })
    .groupByKey(Grouped.with(S, S));
  const counts =
    kind === 'hopping'
      ? grouped
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE).advanceBy(ADVANCE))
          .count(Materialized.as<string, number>('counts').withKeySerde(S))
      : grouped
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(GAP, GRACE))
          .count(Materialized.as<string, number>('counts').withKeySerde(S));
  counts
    .toStream()
    .map((w: Windowed<string>, n: number | null) =>
      KeyValue.pair(w.key(), `${w.window().start()}-${w.window().end()}=${n}`),
    )
    .to('out', Produced.with(S, S));
  const model = kind === 'hopping' ? hoppingModel() : sessionModel();
  const d = await TopologyTestDriver.create(b.build(), {
    applicationId: `flushed-key-reuse-${kind}-${seed}`,
  });
  let checked = 0;
  try {
    const input = d.createInputTopic('batches', S, Serdes.Json<Array<[string, number]>>());
    const out = d.createOutputTopic('out', Serdes.Buffer(), S);
    let time = 0;
    for (let i = 0; i < 60; i++) {
      const batch: Array<[string, number]> = [];
      const n = 1 + pick(random, 12);
      for (let j = 0; j < n; j++) {
        time += pick(random, 6);
        // runs of one key (a flush's run of windows) and switches between look-alike keys
        const key = j > 0 && random() < 0.4 ? batch[j - 1]![0] : KEYS[pick(random, KEYS.length)]!;
        batch.push([key, Math.max(0, time - pick(random, 40))]);
      }
      input.pipeInput(`b${i}`, batch, time);
      const records = out.readRecordsToList().map((r) => {
        const key = r.key!.toString('utf8');
        // the key's bytes are its UTF-8 bytes (a reused Buffer of another key would differ)
        expect(r.key!.equals(Buffer.from(key, 'utf8'))).toBe(true);
        return `${key}@${r.value!}`;
      });
      expect({ batch: i, records: records.sort() }).toEqual({ batch: i, records: model(batch) });
      checked += records.length;
    }
  } finally {
    await d.close();
  }
  return checked;
}

describe.each(['hopping', 'session'] as const)(
  'cached %s counts forwarded at a flush to a String-keyed sink: each record under its own key (brute-force model)',
  (kind) => {
    it.each([1, 2, 3, 4])('seed %i', async (seed) => {
      expect(await run(kind, seed)).toBeGreaterThan(100);
    });
  },
);
