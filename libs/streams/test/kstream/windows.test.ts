import {
  Consumed,
  Grouped,
  Materialized,
  Produced,
  Serdes,
  SessionWindows,
  StreamsBuilder,
  TimeWindows,
  WindowedSerdes,
  type Serde,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores, Window, Windowed } from '../../src/state';
import { pick, seededRandom } from './dsl-test-helpers';

const S = Serdes.String();
const LONG = Serdes.Long() as Serde<number>;
const SEC = 1000;
const MIN = 60 * SEC;

type WinOut = [string, number, number, number | null, number]; // key, start, end, value, timestamp

function readWindowed(d: TopologyTestDriver, topic: string, keySerde: Serde<Windowed<string>>): WinOut[] {
  return d
    .createOutputTopic(topic, keySerde, LONG)
    .readRecordsToList()
    .map((r) => [r.key!.key(), r.key!.window().start(), r.key!.window().end(), r.value, r.timestamp]);
}

async function sessionCounts(windows: SessionWindows, caching: boolean, events: Array<[string, number]>) {
  const b = new StreamsBuilder();
  const m = Materialized.as<string, number>('sessions');
  b.stream('clicks', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .count(caching ? m : m.withCachingDisabled())
    .toStream()
    .to('out', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), LONG));
  const d = await TopologyTestDriver.create(b.build());
  const input = d.createInputTopic('clicks', S, S);
  for (const [key, ts] of events) input.pipeInput(key, 'x', ts);
  return d;
}

describe('session windows: the seed examples', () => {
  it('abc at 00:00:00, 00:00:15, 00:00:50, 00:00:05 with a 20 s gap: merges, a new session, then 1, 2 and 4 merged', async () => {
    const d = await sessionCounts(SessionWindows.ofInactivityGapAndGrace(20 * SEC, 15 * MIN), false, [
      ['abc', 0],
      ['abc', 15 * SEC],
      ['abc', 50 * SEC],
      ['abc', 5 * SEC],
    ]);
    try {
      expect(readWindowed(d, 'out', WindowedSerdes.sessionWindowedSerdeFrom(S))).toEqual([
        ['abc', 0, 0, 1, 0],
        ['abc', 0, 0, null, 0], // merged away
        ['abc', 0, 15 * SEC, 2, 15 * SEC],
        ['abc', 50 * SEC, 50 * SEC, 1, 50 * SEC],
        ['abc', 0, 15 * SEC, null, 15 * SEC],
        ['abc', 0, 15 * SEC, 3, 15 * SEC],
      ]);
      const store = d.getSessionStore<string, number>('sessions')!;
      expect(
        [...store.fetch('abc')].map((e) => [e.key.window().start(), e.key.window().end(), e.value]),
      ).toEqual([
        [0, 15 * SEC, 3],
        [50 * SEC, 50 * SEC, 1],
      ]);
    } finally {
      await d.close();
    }
  });

  it('without grace the out-of-order record 4 is late: dropped and counted', async () => {
    const d = await sessionCounts(SessionWindows.ofInactivityGapWithNoGrace(20 * SEC), true, [
      ['abc', 0],
      ['abc', 15 * SEC],
      ['abc', 50 * SEC],
      ['abc', 5 * SEC],
    ]);
    try {
      expect(readWindowed(d, 'out', WindowedSerdes.sessionWindowedSerdeFrom(S)).slice(-1)).toEqual([
        ['abc', 50 * SEC, 50 * SEC, 1, 50 * SEC],
      ]);
      expect(d.droppedRecords().late).toBe(1);
      // retention is gap + grace: the closed session [0, 15 s] has expired from the store
      const store = d.getSessionStore<string, number>('sessions')!;
      expect(
        [...store.fetch('abc')].map((e) => [e.key.window().start(), e.key.window().end(), e.value]),
      ).toEqual([[50 * SEC, 50 * SEC, 1]]);
    } finally {
      await d.close();
    }
  });

  it('5-minute click sessions: 10:01, 10:04, 10:10, 10:07, 10:19 give 10:01~10:10 (4 clicks) and 10:19 (1)', async () => {
    const at = (h: number, m: number) => Date.UTC(2020, 9, 10, h, m);
    const d = await sessionCounts(SessionWindows.ofInactivityGapAndGrace(5 * MIN, 10 * MIN), true, [
      ['rudaks', at(10, 1)],
      ['rudaks', at(10, 4)],
      ['rudaks', at(10, 10)],
      ['rudaks', at(10, 7)],
      ['rudaks', at(10, 19)],
    ]);
    try {
      const out = readWindowed(d, 'out', WindowedSerdes.sessionWindowedSerdeFrom(S));
      expect(out.filter((r) => r[3] !== null).map((r) => [r[1], r[2], r[3]])).toEqual([
        [at(10, 1), at(10, 1), 1],
        [at(10, 1), at(10, 4), 2],
        [at(10, 10), at(10, 10), 1],
        [at(10, 1), at(10, 10), 4],
        [at(10, 19), at(10, 19), 1],
      ]);
      const store = d.getSessionStore<string, number>('sessions')!;
      expect(
        [...store.fetch('rudaks')].map((e) => [e.key.window().start(), e.key.window().end(), e.value]),
      ).toEqual([
        [at(10, 1), at(10, 10), 4],
        [at(10, 19), at(10, 19), 1],
      ]);
    } finally {
      await d.close();
    }
  });
});

describe('session windows: keys', () => {
  it.each([false, true])(
    'keys with characters beyond ASCII merge their own sessions, as an ASCII key does (caching %s)',
    async (caching) => {
      const keys = ['abc', 'äbc', 'a😀c', 'ab'];
      const events: Array<[string, number]> = [];
      for (const ts of [0, 15 * SEC, 50 * SEC, 5 * SEC]) for (const k of keys) events.push([k, ts]);
      const d = await sessionCounts(
        SessionWindows.ofInactivityGapAndGrace(20 * SEC, 15 * MIN),
        caching,
        events,
      );
      try {
        const out = readWindowed(d, 'out', WindowedSerdes.sessionWindowedSerdeFrom(S));
        const of = (key: string) => out.filter((r) => r[0] === key).map((r) => r.slice(1));
        // cached, [0, 15 s]'s tombstone and its new count are one cache key: only the count leaves the cache
        expect(of('abc')).toEqual([
          [0, 0, 1, 0],
          [0, 0, null, 0],
          [0, 15 * SEC, 2, 15 * SEC],
          [50 * SEC, 50 * SEC, 1, 50 * SEC],
          ...(caching ? [] : [[0, 15 * SEC, null, 15 * SEC]]),
          [0, 15 * SEC, 3, 15 * SEC],
        ]);
        for (const k of keys) expect(of(k)).toEqual(of('abc'));
        const store = d.getSessionStore<string, number>('sessions')!;
        for (const k of keys)
          expect([...store.fetch(k)].map((e) => [e.key.key(), e.key.window().start(), e.value])).toEqual([
            [k, 0, 3],
            [k, 50 * SEC, 1],
          ]);
      } finally {
        await d.close();
      }
    },
  );
});

describe('time windows: the seed examples', () => {
  const TW = (size: number) => WindowedSerdes.timeWindowedSerdeFrom(S, size);

  async function windowedCounts(
    windows: TimeWindows,
    events: Array<[string, number]>,
    logger?: { debug(): void; info(): void; warn(m: string, f?: object): void; error(): void },
  ) {
    const b = new StreamsBuilder();
    b.stream('tx', Consumed.with(S, S))
      .groupBy((_k, symbol) => symbol, Grouped.with(S, S))
      .windowedBy(windows)
      .count(Materialized.as('counts'))
      .toStream()
      .to('out', Produced.with(TW(windows.sizeMs), LONG));
    const d = await TopologyTestDriver.create(b.build(), logger ? { logger } : undefined);
    const input = d.createInputTopic('tx', S, S);
    for (const [symbol, ts] of events) input.pipeInput('c', symbol, ts);
    return d;
  }

  it('20 s tumbling counts: kakao 3 then 1, naver 3, with windows [start, start + 20 s)', async () => {
    const d = await windowedCounts(TimeWindows.ofSizeWithNoGrace(20 * SEC), [
      ['kakao', 1 * SEC],
      ['naver', 2 * SEC],
      ['kakao', 5 * SEC],
      ['naver', 19 * SEC],
      ['kakao', 19_999],
      ['naver', 19_999],
      ['kakao', 20 * SEC],
    ]);
    try {
      const out = readWindowed(d, 'out', TW(20 * SEC));
      expect(out.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
        ['kakao', 0, 20 * SEC, 1],
        ['naver', 0, 20 * SEC, 1],
        ['kakao', 0, 20 * SEC, 2],
        ['naver', 0, 20 * SEC, 2],
        ['kakao', 0, 20 * SEC, 3],
        ['naver', 0, 20 * SEC, 3],
        ['kakao', 20 * SEC, 40 * SEC, 1],
      ]);
      const store = d.getWindowStore<string, number>('counts')!;
      expect(store.fetch('kakao', 20 * SEC)).toBe(1);
      // retention is size + grace: window [0, 20 s) has left the store once a 20 s window exists
      expect(store.fetch('kakao', 0)).toBeUndefined();
    } finally {
      await d.close();
    }
  });

  it('the 2-minute grace example: only events arriving before window end + grace are counted', async () => {
    const t = (m: number) => Date.UTC(2020, 9, 10, 10, m);
    const warnings: Array<[string, object | undefined]> = [];
    const logger = {
      debug() {},
      info() {},
      warn: (m: string, f?: object) => warnings.push([m, f]),
      error() {},
    };
    const d = await windowedCounts(
      TimeWindows.ofSizeAndGrace(20 * MIN, 2 * MIN),
      [
        ['naver', t(4)], // [10:00, 10:20) -> 1; stream time 10:04
        ['naver', t(21)], // [10:20, 10:40) -> 1; stream time 10:21
        ['naver', t(15)], // late but 10:20 + 2 min > 10:21: counted -> 2
        ['naver', t(24)], // stream time 10:24
        ['naver', t(10)], // 10:20 + 2 min <= 10:24: dropped
      ],
      logger,
    );
    try {
      const out = readWindowed(d, 'out', TW(20 * MIN));
      expect(out.map((r) => [r[1], r[3]])).toEqual([
        [t(0), 1],
        [t(20), 1],
        [t(0), 2],
        [t(20), 2],
      ]);
      expect(d.droppedRecords().late).toBe(1);
      // logged as Kafka Streams does, where it was read and which window, without its key or value
      const late = warnings.filter(([m]) => m === 'Skipping record for expired window');
      expect(late).toHaveLength(1);
      expect(late[0][1]).toMatchObject({
        reason: 'late',
        offset: 4,
        timestamp: t(10),
        windowStart: t(0),
        windowEnd: t(20),
        expiration: t(22),
        streamTime: t(24),
      });
      expect(JSON.stringify(late[0][1])).not.toMatch(/naver|"c"/);
    } finally {
      await d.close();
    }
  });

  it('20 s hopping windows advancing by 5 s: a record counts in the four windows that contain it', async () => {
    const w = TimeWindows.ofSizeWithNoGrace(20 * SEC).advanceBy(5 * SEC);
    expect(w.windowsFor(23 * SEC).map((x) => x.start())).toEqual([5, 10, 15, 20].map((s) => s * SEC));
    expect(w.windowsFor(3 * SEC).map((x) => x.start())).toEqual([0]);
    const d = await windowedCounts(w, [
      ['kakao', 23 * SEC],
      ['kakao', 26 * SEC],
    ]);
    try {
      const out = readWindowed(d, 'out', TW(20 * SEC));
      expect(out.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
        [5 * SEC, 25 * SEC, 1, 23 * SEC],
        [10 * SEC, 30 * SEC, 1, 23 * SEC],
        [15 * SEC, 35 * SEC, 1, 23 * SEC],
        [20 * SEC, 40 * SEC, 1, 23 * SEC],
        [10 * SEC, 30 * SEC, 2, 26 * SEC],
        [15 * SEC, 35 * SEC, 2, 26 * SEC],
        [20 * SEC, 40 * SEC, 2, 26 * SEC],
        [25 * SEC, 45 * SEC, 1, 26 * SEC],
      ]);
    } finally {
      await d.close();
    }
  });
});

describe('WindowedSerdes', () => {
  it("writes Kafka Streams' formats: [key][start] for time windows, [key][end][start] for sessions", () => {
    const time = WindowedSerdes.timeWindowedSerdeFrom(S, 20_000);
    const bytes = time.serializer().serialize('t', new Windowed('abc', new Window(1_000, 21_000)))!;
    expect(bytes.toString('hex')).toBe(Buffer.from('abc').toString('hex') + '00000000000003e8');
    expect(time.deserializer().deserialize('t', bytes)).toEqual(
      new Windowed('abc', new Window(1_000, 21_000)),
    );
    const session = WindowedSerdes.sessionWindowedSerdeFrom(S);
    const sb = session.serializer().serialize('t', new Windowed('k', new Window(5, 0x0102)))!;
    expect(sb.toString('hex')).toBe('6b' + '0000000000000102' + '0000000000000005');
    expect(session.deserializer().deserialize('t', sb)).toEqual(new Windowed('k', new Window(5, 0x0102)));
    expect(() => session.deserializer().deserialize('t', Buffer.alloc(3))).toThrow(/too short/);
  });
});

/** Brute-force model of KStreamWindowAggregate: windows enumerated from scratch, close = end + grace <= stream time. */
describe.each([
  ['tumbling', 100, 100, 0],
  ['tumbling with grace', 100, 100, 150],
  ['hopping with grace', 100, 30, 60],
])('windowed count against a brute-force model (%s)', (_label, size, advance, grace) => {
  it.each([
    [21, true],
    [22, false],
  ])('seed %i, caching %s', async (seed, caching) => {
    const b = new StreamsBuilder();
    const m = Materialized.as<string, number>(Stores.inMemoryWindowStore('w', size + grace, size, false));
    b.stream('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(size, grace).advanceBy(advance))
      .count(caching ? m : m.withCachingDisabled())
      .toStream()
      .to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, size), LONG));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const rng = seededRandom(seed);
      const input = d.createInputTopic('in', S, S);
      let streamTime = -1;
      let late = 0;
      const state = new Map<string, { n: number; ts: number }>();
      const expected: WinOut[] = [];
      let base = 0;
      for (let i = 0; i < 300; i++) {
        base += pick(rng, 20);
        const ts = Math.max(0, base - pick(rng, 300)); // up to 300 ms out of order: some late
        const key = `k${pick(rng, 3)}`;
        input.pipeInput(key, 'v', ts);
        streamTime = Math.max(streamTime, ts);
        for (let start = 0; start <= ts; start += advance) {
          if (!(start <= ts && ts < start + size)) continue;
          if (start + size + grace <= streamTime) {
            late++;
            continue;
          }
          const id = `${key}@${start}`;
          const cur = state.get(id);
          const next = cur ? { n: cur.n + 1, ts: Math.max(cur.ts, ts) } : { n: 1, ts };
          state.set(id, next);
          expected.push([key, start, start + size, next.n, next.ts]);
        }
      }
      expect(readWindowed(d, 'out', WindowedSerdes.timeWindowedSerdeFrom(S, size))).toEqual(expected);
      expect(d.droppedRecords().late ?? 0).toBe(late);
      expect(late).toBeGreaterThan(0);
    } finally {
      await d.close();
    }
  });
});

/** Brute-force model of KStreamSessionWindowAggregate. */
describe('session count against a brute-force model', () => {
  it.each([
    [31, 50, 0],
    [32, 50, 100],
    [33, 20, 40],
  ])('seed %i, gap %i, grace %i', async (seed, gap, grace) => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, grace))
      .count(
        Materialized.as<string, number>(Stores.inMemorySessionStore('s', gap + grace)).withCachingDisabled(),
      )
      .toStream()
      .to('out', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), LONG));
    const d = await TopologyTestDriver.create(b.build());
    try {
      const rng = seededRandom(seed);
      const input = d.createInputTopic('in', S, S);
      let streamTime = -1;
      let storeTime = -1;
      let late = 0;
      const sessions = new Map<string, Array<{ start: number; end: number; n: number }>>();
      const expected: WinOut[] = [];
      let base = 0;
      for (let i = 0; i < 300; i++) {
        base += pick(rng, 40);
        const ts = Math.max(0, base - pick(rng, 300));
        const key = `k${pick(rng, 3)}`;
        input.pipeInput(key, 'v', ts);
        streamTime = Math.max(streamTime, ts);
        const list = sessions.get(key) ?? [];
        // the store keeps sessions whose end is within retention (gap + grace) of the largest end it saw
        const overlapping = list
          .filter((s) => s.end > storeTime - (gap + grace) && s.end >= ts - gap && s.start <= ts + gap)
          .sort((a, b2) => a.end - b2.end || a.start - b2.start);
        const start = Math.min(ts, ...overlapping.map((s) => s.start));
        const end = Math.max(ts, ...overlapping.map((s) => s.end));
        if (end < streamTime - grace - gap) {
          late++;
          continue;
        }
        const n = 1 + overlapping.reduce((acc, s) => acc + s.n, 0);
        if (start !== ts || end !== ts) {
          for (const s of overlapping) expected.push([key, s.start, s.end, null, s.end]);
        }
        const rest = list.filter((s) => !overlapping.includes(s) && !(s.start === start && s.end === end));
        rest.push({ start, end, n });
        storeTime = Math.max(storeTime, end);
        sessions.set(key, rest);
        expected.push([key, start, end, n, end]);
      }
      expect(readWindowed(d, 'out', WindowedSerdes.sessionWindowedSerdeFrom(S))).toEqual(expected);
      expect(d.droppedRecords().late ?? 0).toBe(late);
      expect(late).toBeGreaterThan(0);
    } finally {
      await d.close();
    }
  });
});
