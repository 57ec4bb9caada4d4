import { Stores, Window, Windowed, type SessionBytesStoreSupplier } from '../../src/state';
import { SessionKeySchema } from '../../src/state/internals/window-key-schema';
import { drain, stringSerde, tempDir, TestStateStoreContext } from './state-test-context';

const MIN = 60_000;
const kinds: Array<[string, (retention: number) => SessionBytesStoreSupplier]> = [
  ['in-memory', (r) => Stores.inMemorySessionStore('sessions', r)],
  ['persistent', (r) => Stores.persistentSessionStore('sessions', r)],
];

const win = (key: string, start: number, end: number) => new Windowed(key, new Window(start, end));

describe.each(kinds)('%s session store', (_kind, supplierOf) => {
  let tmp: ReturnType<typeof tempDir>;
  let context: TestStateStoreContext;
  beforeEach(() => {
    tmp = tempDir();
    context = new TestStateStoreContext(tmp.dir, 0, 'app');
  });
  afterEach(() => tmp.cleanup());

  const open = async (retention = 60 * MIN) => {
    const store = Stores.sessionStoreBuilder(supplierOf(retention), stringSerde, stringSerde).build();
    await store.init(context, store);
    return store;
  };

  it('finds the sessions a new record merges with (end >= earliest end, start <= latest start)', async () => {
    const store = await open();
    const gap = 5 * MIN;
    store.put(win('u', 0, 2 * MIN), 's1');
    store.put(win('u', 10 * MIN, 12 * MIN), 's2');
    store.put(win('u', 30 * MIN, 31 * MIN), 's3');
    store.put(win('u2', 10 * MIN, 12 * MIN), 'other-key'); // 'u' is a prefix of 'u2'
    // a record at 15 min with a 5 min gap merges sessions ending >= 10 min and starting <= 20 min
    const t = 15 * MIN;
    const merging = drain(store.findSessions('u', t - gap, t + gap));
    expect(merging.map(([w, v]) => [w.key(), w.window().start(), w.window().end(), v])).toEqual([
      ['u', 10 * MIN, 12 * MIN, 's2'],
    ]);
    // a record at 6 min bridges s1 and s2
    expect(drain(store.findSessions('u', 6 * MIN - gap, 6 * MIN + gap)).map(([, v]) => v)).toEqual([
      's1',
      's2',
    ]);
    expect(drain(store.backwardFindSessions('u', 0, 60 * MIN)).map(([, v]) => v)).toEqual(['s3', 's2', 's1']);
    expect(drain(store.fetch('u')).map(([, v]) => v)).toEqual(['s1', 's2', 's3']);
    expect(store.fetchSession('u', 10 * MIN, 12 * MIN)).toBe('s2');
    expect(store.fetchSession('u', 10 * MIN, 13 * MIN)).toBeUndefined();

    // merging: remove the old sessions, put the merged one
    store.remove(win('u', 0, 2 * MIN));
    store.remove(win('u', 10 * MIN, 12 * MIN));
    store.put(win('u', 0, 12 * MIN), 's1+s2');
    expect(drain(store.fetch('u')).map(([w, v]) => [w.window().start(), w.window().end(), v])).toEqual([
      [0, 12 * MIN, 's1+s2'],
      [30 * MIN, 31 * MIN, 's3'],
    ]);
    await store.close();
  });

  it('logs under the session key layout [key][end: 8 bytes][start: 8 bytes]', async () => {
    const store = await open();
    context.timestamp = 7;
    store.put(win('k', MIN, 2 * MIN), 'agg');
    store.remove(win('k', MIN, 2 * MIN));
    const [put, tombstone] = context.changes;
    expect(put.key.toString('hex')).toBe(
      Buffer.from('k').toString('hex') +
        (2 * MIN).toString(16).padStart(16, '0') +
        MIN.toString(16).padStart(16, '0'),
    );
    expect(SessionKeySchema.extractStart(put.key)).toBe(MIN);
    expect(SessionKeySchema.extractEnd(put.key)).toBe(2 * MIN);
    expect(tombstone.value).toBeNull();
    expect(tombstone.key.equals(put.key)).toBe(true);
    await store.close();
  });

  it("with caching and no flush listener, writes a removed session's tombstone down and logs it even if it was never stored (Kafka Streams' CachingSessionStore)", async () => {
    context = new TestStateStoreContext(tmp.dir, 1024 * 1024, 'app');
    const store = Stores.sessionStoreBuilder(supplierOf(60 * MIN), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    await store.init(context, store);
    context.timestamp = 7;
    store.put(win('k', MIN, 2 * MIN), 'agg');
    store.remove(win('k', MIN, 2 * MIN)); // merged away before the commit
    await store.flush();
    expect(context.changes).toHaveLength(1);
    expect(context.changes[0]!.value).toBeNull();
    expect(SessionKeySchema.extractStart(context.changes[0]!.key)).toBe(MIN);
    expect(SessionKeySchema.extractEnd(context.changes[0]!.key)).toBe(2 * MIN);
    expect(context.changes[0]!.timestamp).toBe(7);
    expect(drain(store.fetch('k'))).toEqual([]);
    await store.close();
  });

  it('expires sessions that ended more than the retention before stream time', async () => {
    const store = await open(2 * MIN);
    store.put(win('k', 0, 10), 'old');
    store.put(win('k', 10 * MIN, 10 * MIN), 'new');
    expect(drain(store.fetch('k')).map(([, v]) => v)).toEqual(['new']);
    expect(store.fetchSession('k', 0, 10)).toBeUndefined();
    await store.close();
  });

  it('restores a changelog batch', async () => {
    const store = await open();
    const key = (k: string, s: number, e: number) => SessionKeySchema.toStoreKey(Buffer.from(k), s, e);
    await context.registrations[0].restore([
      { key: key('a', 0, MIN), value: Buffer.from('1'), timestamp: 0, offset: 0 },
      { key: key('a', 2 * MIN, 3 * MIN), value: Buffer.from('2'), timestamp: 0, offset: 1 },
      { key: key('a', 0, MIN), value: null, timestamp: 0, offset: 2 },
    ]);
    expect(drain(store.fetch('a')).map(([w, v]) => [w.window().start(), v])).toEqual([[2 * MIN, '2']]);
    expect(context.changes).toEqual([]);
    await store.close();
  });

  it('rejects a session that ends before it starts', async () => {
    const store = await open();
    expect(() => store.put(win('k', 10, 5), 'x')).toThrow(/before its start/);
    await store.close();
  });
});

describe.each([
  ['in-memory', false],
  ['in-memory', true],
  ['persistent', false],
  ['persistent', true],
] as const)('%s session store (cached: %s), key-range findSessions', (kind, cached) => {
  it('answers findSessionsKeyRange like a brute-force scan of the live sessions', async () => {
    const tmp = tempDir();
    // A small cache: entries are evicted (flushed to the store) while others stay cached.
    const context = new TestStateStoreContext(tmp.dir, 2_000, 'app');
    const supplier =
      kind === 'in-memory'
        ? Stores.inMemorySessionStore('ranged', 60 * MIN)
        : Stores.persistentSessionStore('ranged', 60 * MIN);
    const builder = Stores.sessionStoreBuilder(supplier, stringSerde, stringSerde);
    const store = (cached ? builder.withCachingEnabled() : builder).build();
    await store.init(context, store);
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    // Keys where one is a prefix of another (as `C-1|X` and `C-1|XR`), and keys around a range.
    const keys = ['C-1|A', 'C-1|AB', 'C-1|B', 'C-10|A', 'C-2|A', 'C-1', 'C-0|Z'];
    const model = new Map<string, { key: string; start: number; end: number; value: string }>();
    try {
      for (let i = 0; i < 600; i++) {
        const key = keys[Math.floor(rnd() * keys.length)]!;
        const start = Math.floor(rnd() * 40) * MIN;
        const end = start + Math.floor(rnd() * 3) * MIN;
        const id = `${key}@${start}-${end}`;
        if (rnd() < 0.2) {
          store.remove(win(key, start, end));
          model.delete(id);
        } else {
          store.put(win(key, start, end), `v${i}`);
          model.set(id, { key, start, end, value: `v${i}` });
        }
        if (i % 20 === 0) {
          const [from, to] = [
            ['C-1|', 'C-1|\uffff'],
            [undefined, 'C-1|B'],
            ['C-10|A', undefined],
            ['C-1|AB', 'C-1|AB'],
          ][i % 80 === 0 ? 0 : Math.floor(rnd() * 4)]!;
          const earliestEnd = Math.floor(rnd() * 40) * MIN;
          const latestStart = earliestEnd + Math.floor(rnd() * 20) * MIN;
          const expected = [...model.values()]
            .filter(
              (s) =>
                (from === undefined || Buffer.compare(Buffer.from(s.key), Buffer.from(from)) >= 0) &&
                (to === undefined || Buffer.compare(Buffer.from(s.key), Buffer.from(to)) <= 0) &&
                s.end >= earliestEnd &&
                s.start <= latestStart,
            )
            .map((s) => `${s.key}@${s.start}-${s.end}=${s.value}`)
            .sort();
          const got = drain(store.findSessionsKeyRange(from, to, earliestEnd, latestStart))
            .map(([w, v]) => `${w.key()}@${w.window().start()}-${w.window().end()}=${v}`)
            .sort();
          expect({ from, to, earliestEnd, latestStart, got }).toEqual({
            from,
            to,
            earliestEnd,
            latestStart,
            got: expected,
          });
        }
      }
      // The customer range C-1| holds sessions of several keys, and none of C-1 / C-10.
      const all = drain(store.findSessionsKeyRange('C-1|', 'C-1|\uffff', 0, 100 * MIN)).map(([w]) => w.key());
      expect(new Set(all)).toEqual(new Set(['C-1|A', 'C-1|AB', 'C-1|B']));
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});

describe.each([
  ['in-memory', false],
  ['in-memory', true],
  ['persistent', false],
  ['persistent', true],
] as const)('%s session store (cached: %s), one key', (kind, cached) => {
  it("answers findSessions and backwardFindSessions of one key like a brute-force scan of its live sessions (sessions ending at the range's first end, in many segments, some expired)", async () => {
    const tmp = tempDir();
    // A cache that holds every session: the key's sessions are read from the cache's group.
    const context = new TestStateStoreContext(tmp.dir, cached ? 10_000_000 : 0, 'app');
    const retention = 20 * MIN;
    const supplier =
      kind === 'in-memory'
        ? Stores.inMemorySessionStore('one-key', retention)
        : Stores.persistentSessionStore('one-key', retention);
    const builder = Stores.sessionStoreBuilder(supplier, stringSerde, stringSerde);
    const store = (cached ? builder.withCachingEnabled() : builder).build();
    await store.init(context, store);
    let seed = 29;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const keys = ['C-1|A', 'C-1|AB', 'C-1|'];
    const model = new Map<string, { key: string; start: number; end: number; value: string }>();
    let observed = -Infinity;
    try {
      for (let i = 0; i < 1500; i++) {
        const key = keys[Math.floor(rnd() * keys.length)]!;
        // time moves forward with some disorder, over many segments and past the retention
        const start = Math.max(0, Math.floor(i / 10 + rnd() * 20 - 10)) * (MIN / 4);
        const end = start + Math.floor(rnd() * 8) * (MIN / 4);
        observed = Math.max(observed, end);
        const id = `${key}@${start}-${end}`;
        if (rnd() < 0.25) {
          store.remove(win(key, start, end));
          model.delete(id);
        } else {
          store.put(win(key, start, end), `v${i}`);
          model.set(id, { key, start, end, value: `v${i}` });
        }
        if (i % 7 === 0) {
          await store.flush();
        }
        if (i % 5 === 0) {
          const k = keys[Math.floor(rnd() * keys.length)]!;
          const ends = [...model.values()].filter((s) => s.key === k).map((s) => s.end);
          // mostly the end of one of the key's sessions (an exact bound), sometimes between them
          const earliestEnd =
            ends.length > 0 && rnd() < 0.7
              ? ends[Math.floor(rnd() * ends.length)]!
              : Math.floor(rnd() * (observed + 1));
          const latestStart = earliestEnd + Math.floor(rnd() * 12) * (MIN / 4);
          const minLive = Math.max(0, observed - retention + 1);
          const expected = [...model.values()]
            .filter((s) => s.key === k && s.end >= minLive && s.end >= earliestEnd && s.start <= latestStart)
            .sort((a, b) => a.end - b.end || a.start - b.start)
            .map((s) => `${s.start}-${s.end}=${s.value}`);
          const forward = drain(store.findSessions(k, earliestEnd, latestStart)).map(
            ([w, v]) => `${w.window().start()}-${w.window().end()}=${v}`,
          );
          const backward = drain(store.backwardFindSessions(k, earliestEnd, latestStart)).map(
            ([w, v]) => `${w.window().start()}-${w.window().end()}=${v}`,
          );
          expect({ i, k, earliestEnd, latestStart, forward, backward }).toEqual({
            i,
            k,
            earliestEnd,
            latestStart,
            forward: expected,
            backward: [...expected].reverse(),
          });
        }
      }
    } finally {
      await store.close();
      tmp.cleanup();
    }
  });
});
