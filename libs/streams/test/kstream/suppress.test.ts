import {
  Consumed,
  Grouped,
  KeyValue,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type Serde,
} from '../../src';
import { TopologyTestDriver } from '../../src/testing';
import { Stores } from '../../src/state';
import { InMemoryTimeOrderedBuffer } from '../../src/state/internals/in-memory-time-ordered-buffer';
import { TestStateStoreContext } from '../state/state-test-context';
import { pick, seededRandom, triples } from './dsl-test-helpers';

const S = Serdes.String();
const LONG = Serdes.Long() as Serde<number>;
const { BufferConfig } = Suppressed;

describe('suppress(untilWindowCloses) against a brute-force model', () => {
  it.each([
    [41, true],
    [42, false],
    [43, true],
  ])(
    'exactly one final result per closed window, none for open ones (seed %i, caching %s)',
    async (seed, caching) => {
      const size = 100;
      const grace = 50;
      const b = new StreamsBuilder();
      const m = Materialized.as<string, number>(
        Stores.inMemoryWindowStore('counts', size + grace, size, false),
      );
      b.stream('tx', Consumed.with(S, S))
        .groupBy((_k, symbol) => symbol, Grouped.with(S, S))
        .windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
        .count(caching ? m : m.withCachingDisabled())
        .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
        .toStream()
        .map((w, count) => KeyValue.pair(`${w.key()}@${w.window().start()}`, count))
        .to('final', Produced.with(S, LONG));
      const d = await TopologyTestDriver.create(b.build(), { applicationId: 'sup' });
      try {
        const rng = seededRandom(seed);
        const input = d.createInputTopic('tx', S, S);
        // model: the aggregation (late drops), then the buffer ordered by (window end, key)
        let aggTime = -1;
        let supTime = -1;
        const counts = new Map<string, { n: number; ts: number }>();
        const buffer = new Map<string, { end: number; key: string; n: number; ts: number }>();
        const expected: Array<[string, number, number]> = [];
        let base = 0;
        for (let i = 0; i < 400; i++) {
          base += pick(rng, 10);
          const ts = Math.max(0, base - pick(rng, 200));
          const symbol = `s${pick(rng, 4)}`;
          input.pipeInput('c', symbol, ts);
          aggTime = Math.max(aggTime, ts);
          const start = Math.floor(ts / size) * size;
          if (start + size + grace <= aggTime) continue; // late: never reaches suppress
          const id = `${symbol}@${start}`;
          const cur = counts.get(id);
          const next = cur ? { n: cur.n + 1, ts: Math.max(cur.ts, ts) } : { n: 1, ts };
          counts.set(id, next);
          supTime = Math.max(supTime, next.ts);
          buffer.set(id, { end: start + size, key: symbol, n: next.n, ts: next.ts });
          const due = [...buffer.entries()]
            .filter(([, e]) => e.end <= supTime - grace)
            .sort(([, x], [, y]) => x.end - y.end || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
          for (const [bid, e] of due) {
            buffer.delete(bid);
            expected.push([bid, e.n, e.ts]);
          }
        }
        const out = triples(d.createOutputTopic('final', S, LONG));
        expect(out).toEqual(expected);
        expect(new Set(out.map((r) => r[0])).size).toBe(out.length); // one result per window
        expect(buffer.size).toBeGreaterThan(0); // open windows stayed buffered
        expect(d.producedTopicNames()).toEqual(
          expect.arrayContaining(['sup-KTABLE-SUPPRESS-STATE-STORE-0000000007-changelog']),
        );
      } finally {
        await d.close();
      }
    },
  );

  it('needs a windowed table', () => {
    const b = new StreamsBuilder();
    const t = b.table('t', Consumed.with(S, S));
    expect(() => t.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))).toThrow(
      /windowed table/,
    );
    expect(() => Suppressed.untilWindowCloses(BufferConfig.maxRecords(5))).toThrow(/strict buffer/);
  });
});

describe('suppress(untilTimeLimit)', () => {
  async function run(
    buffer: ReturnType<typeof BufferConfig.unbounded>,
    inputs: Array<[string, string | null, number]>,
  ) {
    const b = new StreamsBuilder();
    b.table('t', Consumed.with(S, S), Materialized.as<string, string>('t-store').withCachingDisabled())
      .suppress(Suppressed.untilTimeLimit(100, buffer).withName('hold'))
      .toStream()
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'tl' });
    const input = d.createInputTopic('t', S, S);
    for (const [k, v, ts] of inputs) input.pipeInput(k, v, ts);
    return d;
  }

  it("emits each key's latest value once the limit passed since its first held update, deletes included", async () => {
    const d = await run(BufferConfig.unbounded(), [
      ['a', 'a1', 0],
      ['b', 'b1', 10],
      ['a', 'a2', 50], // a keeps its place (time 0)
      ['b', null, 90],
      ['c', 'c1', 100], // stream time 100: a (time 0) is due
      ['x', 'x1', 115], // b (time 10) is due, a delete: forwarded
      ['c', 'c2', 150],
    ]);
    try {
      expect(triples(d.createOutputTopic('out', S, S))).toEqual([
        ['a', 'a2', 50],
        ['b', null, 90],
      ]);
      expect(d.producedTopicNames()).toEqual(expect.arrayContaining(['tl-hold-store-changelog']));
    } finally {
      await d.close();
    }
  });

  it("forwards the latest held update's timestamp and headers", async () => {
    const b = new StreamsBuilder();
    b.table('t', Consumed.with(S, S), Materialized.as<string, string>('t-store').withCachingDisabled())
      .suppress(Suppressed.untilTimeLimit(100, BufferConfig.unbounded()).withName('hold'))
      .toStream()
      .to('out', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'tlh' });
    try {
      const input = d.createInputTopic('t', S, S);
      input.pipeInput('a', 'a1', 0, { trace: 'first' });
      input.pipeInput('a', 'a2', 50, { trace: 'second', extra: Buffer.from([1, 2]) });
      input.pipeInput('x', 'x1', 100);
      const out = d.createOutputTopic('out', S, S).readRecordsToList();
      expect(out.map((r) => [r.key, r.value, r.timestamp])).toEqual([['a', 'a2', 50]]);
      expect(out[0].headers).toEqual({ trace: 'second', extra: Buffer.from([1, 2]) });
    } finally {
      await d.close();
    }
  });

  it('a full maxRecords buffer emits its oldest keys early; shutDownWhenFull stops the task', async () => {
    const early = await run(BufferConfig.maxRecords(2), [
      ['a', 'a1', 0],
      ['b', 'b1', 1],
      ['c', 'c1', 2], // three keys: a leaves early
      ['d', 'd1', 3], // b leaves early
    ]);
    try {
      expect(triples(early.createOutputTopic('out', S, S))).toEqual([
        ['a', 'a1', 0],
        ['b', 'b1', 1],
      ]);
    } finally {
      await early.close();
    }
    await expect(
      run(BufferConfig.maxRecords(2).shutDownWhenFull(), [
        ['a', 'a1', 0],
        ['b', 'b1', 1],
        ['c', 'c1', 2],
      ]),
    ).rejects.toThrow(/exceeded its max capacity/);
  });

  it('a maxBytes buffer stays within its bound', async () => {
    const d = await run(BufferConfig.maxBytes(200), []);
    try {
      const input = d.createInputTopic('t', S, S);
      for (let i = 0; i < 100; i++) input.pipeInput(`key-${i}`, 'v'.repeat(20), i);
      const buffer = d.getStateStore<InMemoryTimeOrderedBuffer>('hold-store')!;
      expect(buffer.bufferSize).toBeLessThanOrEqual(200);
      expect(buffer.numRecords).toBeGreaterThan(0);
      expect(d.createOutputTopic('out', S, S).getQueueSize()).toBe(100 - buffer.numRecords);
    } finally {
      await d.close();
    }
  });
});

describe('the suppression buffer changelog', () => {
  it('rebuilds the same buffer (contents and eviction order) from its changelog after a restart', () => {
    const ctx = new TestStateStoreContext('/tmp');
    const before = new InMemoryTimeOrderedBuffer('buf', true);
    before.init(ctx, before);
    const k = (s: string) => Buffer.from(s);
    before.put(30, k('c'), null, k('c1'), 30);
    before.put(10, k('a'), null, k('a1'), 10);
    before.put(20, k('b'), k('b0'), k('b1'), 20);
    before.put(99, k('a'), k('a1'), k('a2'), 40); // keeps time 10
    before.put(50, k('d'), null, null, 50);
    before.put(60, k('b'), k('b1'), k('b2'), 60, { h: 'x', e: Buffer.alloc(0), u: undefined }); // prior stays b0
    const evicted: string[] = [];
    before.evictWhile(
      () => before.minTimestamp <= 10,
      (c) => evicted.push(c.key.toString()),
    );
    expect(evicted).toEqual(['a']);

    const after = new InMemoryTimeOrderedBuffer('buf', true);
    const ctx2 = new TestStateStoreContext('/tmp');
    after.init(ctx2, after);
    expect(ctx2.registrations[0].registration?.changelogTopic).toBe('app-buf-changelog');
    void ctx2.registrations[0].restore(
      ctx.changes.map((c, offset) => ({ key: c.key, value: c.value, timestamp: c.timestamp, offset })),
    );
    expect(after.numRecords).toBe(before.numRecords);
    expect(after.bufferSize).toBe(before.bufferSize);
    const drain = (buf: InMemoryTimeOrderedBuffer) => {
      const out: Array<[string, number, string | null, string | null, string | null, number, string]> = [];
      buf.evictWhile(
        () => true,
        (c) =>
          out.push([
            c.key.toString(),
            c.time,
            c.oldValue?.toString() ?? null,
            c.newValue?.toString() ?? null,
            c.priorValue?.toString() ?? null,
            c.timestamp,
            Object.entries(c.headers)
              .map(([n, v]) => `${n}=${v === undefined ? '-' : Buffer.from(v).toString('hex')}`)
              .join(','),
          ]),
      );
      return out;
    };
    expect(after.priorValueForBuffered(k('b'))).toEqual({ value: k('b0') });
    expect(after.priorValueForBuffered(k('c'))).toEqual({ value: null });
    expect(after.priorValueForBuffered(k('a'))).toBeUndefined();
    const restored = drain(after);
    expect(restored).toEqual([
      ['b', 20, 'b1', 'b2', 'b0', 60, 'h=78,e=,u=-'],
      ['c', 30, null, 'c1', null, 30, ''],
      ['d', 50, null, null, null, 50, ''],
    ]);
    expect(drain(before)).toEqual(restored);
  });

  it('restores a changelog value written without the prior value with the old value as prior', () => {
    const ctx = new TestStateStoreContext('/tmp');
    const buf = new InMemoryTimeOrderedBuffer('buf', true);
    buf.init(ctx, buf);
    // time 10, timestamp 12, old "o", new "n": the format before the prior value was kept.
    const v = Buffer.concat([
      Buffer.from('000000000000000a000000000000000c', 'hex'),
      Buffer.from('00000001', 'hex'),
      Buffer.from('o'),
      Buffer.from('00000001', 'hex'),
      Buffer.from('n'),
    ]);
    void ctx.registrations[0].restore([{ key: Buffer.from('k'), value: v, timestamp: 12, offset: 0 }]);
    expect(buf.priorValueForBuffered(Buffer.from('k'))).toEqual({ value: Buffer.from('o') });
    const out: string[] = [];
    buf.evictWhile(
      () => true,
      (c) =>
        out.push(
          `${c.time} ${c.timestamp} ${c.oldValue} ${c.newValue} ${c.priorValue} ${JSON.stringify(c.headers)}`,
        ),
    );
    expect(out).toEqual(['10 12 o n o {}']);
  });
});

describe('a join against a suppressed table', () => {
  // Kafka Streams' suppressed view (KTableSuppressProcessorSupplier.view): a buffered key reads its
  // value before its first buffered update (what downstream has seen), any other key the parent's.
  async function run(
    inputs: Array<['t' | 's', string, string | null, number]>,
    limitMs: number,
  ): Promise<string[]> {
    const b = new StreamsBuilder();
    const table = b
      .table('t', Consumed.with(S, S), Materialized.as<string, string>('t-store').withCachingDisabled())
      .suppress(Suppressed.untilTimeLimit(limitMs, BufferConfig.unbounded()).withName('hold'));
    b.stream('s', Consumed.with(S, S))
      .join(table, (v, tv) => `${v}+${tv}`)
      .to('joined', Produced.with(S, S));
    const d = await TopologyTestDriver.create(b.build(), { applicationId: 'sj' });
    try {
      const t = d.createInputTopic('t', S, S);
      const s = d.createInputTopic('s', S, S);
      for (const [topic, k, v, ts] of inputs) (topic === 't' ? t : s).pipeInput(k, v, ts);
      return triples(d.createOutputTopic('joined', S, S)).map(([k, v, ts]) => `${k}|${v}|${ts}`);
    } finally {
      await d.close();
    }
  }

  /** Brute force: suppress as a model (first-update time, latest value, due at time + limit), then the join. */
  function model(inputs: Array<['t' | 's', string, string | null, number]>, limitMs: number): string[] {
    const emitted = new Map<string, string | null>();
    const held = new Map<string, { time: number; value: string | null }>();
    let streamTime = -1;
    const out: string[] = [];
    for (const [topic, k, v, ts] of inputs) {
      if (topic === 's') {
        const tv = emitted.get(k) ?? null;
        if (v !== null && tv !== null) out.push(`${k}|${v}+${tv}|${ts}`);
        continue;
      }
      streamTime = Math.max(streamTime, ts);
      held.set(k, { time: held.get(k)?.time ?? ts, value: v });
      for (const [hk, h] of [...held].sort(([a, x], [b, y]) => x.time - y.time || (a < b ? -1 : 1))) {
        if (h.time > streamTime - limitMs) break;
        emitted.set(hk, h.value);
        held.delete(hk);
      }
    }
    return out;
  }

  it('reads the last emitted value of a key whose update is still held', async () => {
    const got = await run(
      [
        ['t', 'a', 'a1', 0],
        ['t', 'x', 'x1', 100], // a1 emitted
        ['s', 'a', 's1', 101], // a1
        ['t', 'a', 'a2', 150], // held until 250
        ['s', 'a', 's2', 151], // still a1, as downstream has seen it
        ['t', 'b', 'b1', 160],
        ['s', 'b', 's3', 161], // b never emitted: no join
        ['t', 'a', 'a3', 200],
        ['s', 'a', 's4', 201], // a1: the prior value stays that of the first held update
        ['t', 'x', 'x2', 250], // a3 emitted
        ['s', 'a', 's5', 251],
      ],
      100,
    );
    expect(got).toEqual(['a|s1+a1|101', 'a|s2+a1|151', 'a|s4+a1|201', 'a|s5+a3|251']);
  });

  it.each([1, 2, 3])('equals a brute-force model (seed %i, deletes, interleaved lookups)', async (seed) => {
    const rng = seededRandom(seed);
    const inputs: Array<['t' | 's', string, string | null, number]> = [];
    let ts = 1000;
    for (let i = 0; i < 400; i++) {
      ts += pick(rng, 20);
      const key = `k${pick(rng, 6)}`;
      if (rng() < 0.5) inputs.push(['s', key, `s${i}`, ts]);
      else inputs.push(['t', key, rng() < 0.15 ? null : `v${i}`, ts - pick(rng, 30)]);
    }
    const expected = model(inputs, 60);
    expect(expected.length).toBeGreaterThan(50);
    expect(await run(inputs, 60)).toEqual(expected);
  });
});
