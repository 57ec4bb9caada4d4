import type { Serde } from '../../src';
import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Produced,
  Serdes,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  WindowedSerdes,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores } from '../../src/state';
import { pick, seededRandom } from './dsl-test-helpers';

const S = Serdes.String();
const LONG = Serdes.Long() as Serde<number>;

/** `[key, start, end, value, timestamp]` of each output record of a sliding-windowed table. */
function read<V>(d: TopologyTestDriver, topic: string, td: number, valueSerde: Serde<V>) {
  return d
    .createOutputTopic(topic, WindowedSerdes.timeWindowedSerdeFrom(S, td), valueSerde)
    .readRecordsToList()
    .map((r) => ({
      key: r.key!.key(),
      start: r.key!.window().start(),
      end: r.key!.window().end(),
      value: r.value,
      timestamp: r.timestamp,
    }));
}

describe('SlidingWindows', () => {
  it('validates its durations', () => {
    expect(() => SlidingWindows.ofTimeDifferenceAndGrace(-1, 0)).toThrow(/time difference/);
    expect(() => SlidingWindows.ofTimeDifferenceAndGrace(10, -1)).toThrow(/grace/);
    const w = SlidingWindows.ofTimeDifferenceWithNoGrace(10);
    expect([w.timeDifferenceMs, w.gracePeriodMs()]).toEqual([10, 0]);
  });

  it("Kafka Streams' own example (KStreamSlidingWindowAggregateTest.testAggregateSmallInput): every window's updates", async () => {
    const b = new StreamsBuilder();
    b.stream('topic', Consumed.with(S, S))
      .groupByKey(Grouped.with(S, S))
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5))
      .aggregate(
        () => '0',
        (_k, v, agg) => `${agg}+${v}`,
        Materialized.as<string, string>(Stores.inMemoryWindowStore('store', 25, 10, false))
          .withValueSerde(S)
          .withCachingDisabled(),
      )
      .toStream()
      .to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, 10), S));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const input = d.createInputTopic('topic', S, S);
      const events: Array<[string, number]> = [
        ['1', 10],
        ['2', 10],
        ['3', 14],
        ['4', 15],
        ['5', 20],
        ['6', 22],
        ['7', 30],
      ];
      for (const [v, ts] of events) input.pipeInput('A', v, ts);
      const actual = new Map<number, Set<string>>();
      for (const r of read(d, 'out', 10, S)) {
        expect(r.end).toBe(r.start + 10);
        const set = actual.get(r.start) ?? new Set<string>();
        set.add(`${r.value}@${r.timestamp}`);
        actual.set(r.start, set);
      }
      const expected = new Map<number, Set<string>>([
        [0, new Set(['0+1@10', '0+1+2@10'])],
        [4, new Set(['0+1+2+3@14'])],
        [5, new Set(['0+1+2+3+4@15'])],
        [10, new Set(['0+1+2+3+4+5@20'])],
        [11, new Set(['0+3@14', '0+3+4@15', '0+3+4+5@20'])],
        [12, new Set(['0+3+4+5+6@22'])],
        [15, new Set(['0+4@15', '0+4+5@20', '0+4+5+6@22'])],
        [16, new Set(['0+5@20', '0+5+6@22'])],
        [20, new Set(['0+5+6+7@30'])],
        [21, new Set(['0+6@22', '0+6+7@30'])],
        [23, new Set(['0+7@30'])],
      ]);
      expect(actual).toEqual(expected);
    } finally {
      await d.close();
    }
  });

  it('drops a record whose right window closed before it arrived, and counts it as late', async () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5))
      .count(Materialized.as<string, number>('c').withCachingDisabled())
      .toStream()
      .to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, 10), LONG));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const input = d.createInputTopic('in', S, S);
      input.pipeInput('k', 'a', 100); // close time 95 from now on
      input.pipeInput('k', 'b', 92); // accepted (92 + 10 >= 95), but its left window [82, 92] has closed
      input.pipeInput('k', 'c', 84); // 84 + 10 < 95: dropped
      expect(read(d, 'out', 10, LONG).map((r) => [r.start, r.value, r.timestamp])).toEqual([
        [90, 1, 100], // left window of 100
        [90, 2, 100], // 92 falls in it
        [93, 1, 100], // right window of 92, holding 100
      ]);
      expect(d.droppedRecords().late).toBe(2); // 92's left window, then the whole record at 84
    } finally {
      await d.close();
    }
  });
});

/**
 * Brute-force model of Kafka Streams' sliding windows: for the accepted records of a key, the
 * windows are each record's left window `[t - d, t]` (`[0, d]` for records before `d`) and each
 * record's right window `[t + 1, t + 1 + d]` when a record falls in it; a window's aggregate holds
 * exactly the accepted records inside it, with their largest timestamp. A record is dropped when
 * `t + d` is before stream time minus grace. The generator keeps every accepted record at or after
 * stream time minus grace (out of order within the grace) or drops it whole, so no window of an
 * accepted record has closed when it arrives.
 */
describe('sliding windows against a brute-force model', () => {
  interface Ev {
    key: string;
    id: string;
    ts: number;
  }

  function generate(seed: number, n: number, d: number, grace: number): Ev[] {
    const rnd = seededRandom(seed);
    const events: Ev[] = [];
    let streamTime = -1;
    for (let i = 0; i < n; i++) {
      const key = `k${pick(rnd, 3)}`;
      let ts: number;
      const r = rnd();
      if (streamTime < 0 || r < 0.55)
        ts = Math.max(0, streamTime) + pick(rnd, d); // forward (may repeat)
      else if (r < 0.92)
        ts = Math.max(0, streamTime - pick(rnd, grace + 1)); // out of order within grace
      else ts = streamTime - grace - d - 1 - pick(rnd, d); // wholly late (maybe negative: skip)
      if (ts < 0) continue;
      if (i < 6 && rnd() < 0.5) ts = pick(rnd, d); // early records (before d)
      // keep the generator's promise: accepted records are not before stream time minus grace
      const close = Math.max(streamTime, ts) - grace;
      if (ts < close && ts + d >= close) continue;
      streamTime = Math.max(streamTime, ts);
      events.push({ key, id: `e${i}`, ts });
    }
    return events;
  }

  function model(events: Ev[], d: number, grace: number) {
    let streamTime = -1;
    const accepted = new Map<string, Ev[]>();
    let late = 0;
    for (const e of events) {
      streamTime = Math.max(streamTime, e.ts);
      if (e.ts + d < streamTime - grace) {
        late++;
        continue;
      }
      accepted.set(e.key, [...(accepted.get(e.key) ?? []), e]);
    }
    const windows = new Map<string, { ids: string[]; timestamp: number }>();
    for (const [key, recs] of accepted) {
      const starts = new Set<number>();
      for (const r of recs) {
        starts.add(r.ts < d ? 0 : r.ts - d);
        if (recs.some((q) => q.ts >= r.ts + 1 && q.ts <= r.ts + 1 + d)) starts.add(r.ts + 1);
      }
      for (const start of starts) {
        const inside = recs.filter((q) => q.ts >= start && q.ts <= start + d);
        windows.set(`${key}@${start}`, {
          ids: inside.map((q) => q.id).sort(),
          timestamp: Math.max(...inside.map((q) => q.ts)),
        });
      }
    }
    return { windows, late };
  }

  it.each([
    [1, 10, 20, false],
    [2, 10, 20, true],
    [3, 7, 0, false],
    [4, 25, 50, false],
    [5, 5, 100, true],
  ])(
    'seed %d, time difference %d, grace %d, caching %s: aggregate and count give the model windows',
    async (seed, d, grace, caching) => {
      const events = generate(seed, 250, d, grace);
      const b = new StreamsBuilder();
      const grouped = b.stream('in', Consumed.with(S, S)).groupByKey();
      const windowed = grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(d, grace));
      const mAgg = Materialized.as<string, string>('agg').withValueSerde(S);
      windowed
        .aggregate(
          () => '',
          (_k, v, agg) => (agg === '' ? v : `${agg},${v}`),
          caching ? mAgg : mAgg.withCachingDisabled(),
        )
        .toStream()
        .to('agg-out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, d), S));
      const mCount = Materialized.as<string, number>(
        Stores.inMemoryWindowStore('count', 2 * d + grace, d, false),
      );
      windowed
        .count(caching ? mCount : mCount.withCachingDisabled())
        .toStream()
        .to('count-out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, d), LONG));
      const d2 = await TopologyTestDriver.create(b.build());
      try {
        const input = d2.createInputTopic('in', S, S);
        for (const e of events) input.pipeInput(e.key, e.id, e.ts);
        const expected = model(events, d, grace);
        const lastAgg = new Map<string, { ids: string[]; timestamp: number }>();
        for (const r of read(d2, 'agg-out', d, S)) {
          expect(r.end).toBe(r.start + d);
          lastAgg.set(`${r.key}@${r.start}`, { ids: r.value!.split(',').sort(), timestamp: r.timestamp });
        }
        expect(new Map([...lastAgg].sort())).toEqual(new Map([...expected.windows].sort()));
        const lastCount = new Map<string, number>();
        for (const r of read(d2, 'count-out', d, LONG)) lastCount.set(`${r.key}@${r.start}`, r.value!);
        expect(new Map([...lastCount].sort())).toEqual(
          new Map([...expected.windows].map(([w, v]) => [w, v.ids.length] as [string, number]).sort()),
        );
        expect(d2.droppedRecords().late ?? 0).toBe(2 * expected.late); // both aggregations drop it
        expect(expected.late).toBeGreaterThan(0);
      } finally {
        await d2.close();
      }
    },
  );

  it('reduce and suppress(untilWindowCloses): the final sum of every closed window, none for open ones', async () => {
    const d = 10;
    const grace = 15;
    const events = generate(11, 300, d, grace).map((e) => ({ ...e, value: 1 + pick(seededRandom(e.ts), 9) }));
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, Serdes.Integer()))
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(d, grace))
      .reduce((a, v) => a + v, Materialized.as<string, number>('sums').withValueSerde(Serdes.Integer()))
      .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
      .toStream()
      .map((w, sum) => KeyValue.pair(`${w.key()}@${w.window().start()}`, sum))
      .to('final', Produced.with(S, Serdes.Integer()));
    const drv = await TopologyTestDriver.create(b.build());
    try {
      const input = drv.createInputTopic('in', S, Serdes.Integer());
      for (const e of events) input.pipeInput(e.key, e.value, e.ts);
      const { windows } = model(events, d, grace);
      const valueOf = new Map(events.map((e) => [e.id, e.value]));
      const streamTime = Math.max(...events.map((e) => e.ts));
      // suppress emits a window once its end is at or before stream time minus grace
      const expected = [...windows]
        .filter(([w]) => Number(w.split('@')[1]) + d <= streamTime - grace)
        .map(([w, v]) => [w, v.ids.reduce((s, id) => s + valueOf.get(id)!, 0)] as [string, number])
        .sort();
      const out = drv.createOutputTopic('final', S, Serdes.Integer()).readKeyValuesToList();
      // the last result per window is the model's sum, and only closed windows were emitted. As in
      // Kafka Streams, a window whose end equals the close time still takes records (the sliding
      // aggregate keeps windows with end >= close time) after suppress emitted it (end <= close
      // time), so such a window is emitted again with the update
      const last = new Map(out.map((kv) => [kv.key!, kv.value!] as [string, number]));
      expect([...last].sort()).toEqual(expected);
      expect(out.length - last.size).toBeLessThan(out.length / 20);
      expect(expected.length).toBeGreaterThan(20);
    } finally {
      await drv.close();
    }
  });
});
