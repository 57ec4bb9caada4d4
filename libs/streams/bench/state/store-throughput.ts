import { Stores, Window, Windowed } from '../../src/state';
import { BenchContext, bytesSerde } from './bench-context';
import { benchDir, benchKey, benchValue, secondsSince, type StateBenchResult } from './bench-util';

interface Target {
  name: string;
  open(
    context: BenchContext,
  ): Promise<{ putGet(i: number, key: Buffer, value: Buffer): void; close(): Promise<void> }>;
}

const MIN = 60_000;

const targets: Target[] = [
  kv('in-memory', () => Stores.inMemoryKeyValueStore('kv'), false),
  kv('in-memory cached', () => Stores.inMemoryKeyValueStore('kv'), true),
  kv('persistent (lmdb)', () => Stores.persistentKeyValueStore('kv'), false),
  kv('persistent (lmdb) cached', () => Stores.persistentKeyValueStore('kv'), true),
  kv('lru-map', () => Stores.lruMap('kv', 1_000_000), false),
  {
    name: 'in-memory window',
    open: async (context) => windowStore(context, Stores.inMemoryWindowStore('w', 60 * MIN, MIN, false)),
  },
  {
    name: 'in-memory window cached',
    open: async (context) =>
      windowStore(context, Stores.inMemoryWindowStore('w', 60 * MIN, MIN, false), true),
  },
  {
    name: 'persistent window',
    open: async (context) => windowStore(context, Stores.persistentWindowStore('w', 60 * MIN, MIN, false)),
  },
  {
    name: 'in-memory session',
    open: async (context) => sessionStore(context, Stores.inMemorySessionStore('s', 60 * MIN)),
  },
  {
    name: 'persistent session',
    open: async (context) => sessionStore(context, Stores.persistentSessionStore('s', 60 * MIN)),
  },
];

function kv(
  name: string,
  supplier: () => ReturnType<typeof Stores.inMemoryKeyValueStore>,
  cached: boolean,
): Target {
  return {
    name: `key-value ${name}`,
    open: async (context) => {
      const builder = Stores.keyValueStoreBuilder(supplier(), bytesSerde, bytesSerde);
      if (cached) builder.withCachingEnabled();
      const store = builder.build();
      await store.init(context, store);
      return {
        putGet: (_i, key, value) => {
          store.put(key, value);
          store.get(key);
        },
        close: async () => store.close(),
      };
    },
  };
}

async function windowStore(
  context: BenchContext,
  supplier: ReturnType<typeof Stores.inMemoryWindowStore>,
  cached = false,
) {
  const builder = Stores.windowStoreBuilder(supplier, bytesSerde, bytesSerde);
  if (cached) builder.withCachingEnabled();
  const store = builder.build();
  await store.init(context, store);
  return {
    putGet: (i: number, key: Buffer, value: Buffer) => {
      const start = Math.floor(i / 1000) * 1000;
      store.put(key, value, start);
      store.fetch(key, start);
    },
    close: async () => store.close(),
  };
}

async function sessionStore(context: BenchContext, supplier: ReturnType<typeof Stores.inMemorySessionStore>) {
  const store = Stores.sessionStoreBuilder(supplier, bytesSerde, bytesSerde).build();
  await store.init(context, store);
  return {
    putGet: (i: number, key: Buffer, value: Buffer) => {
      const end = Math.floor(i / 1000) * 1000;
      store.put(new Windowed(key, new Window(end, end)), value);
      store.fetchSession(key, end, end);
    },
    close: async () => store.close(),
  };
}

/**
 * get+put pairs per second through the full layering (metered, change-logging, caching where named)
 * for each store kind, over `distinctKeys` keys; reference: a plain `Map<string, Buffer>` doing the same.
 */
export async function benchStoreThroughput(
  ops = 200_000,
  distinctKeys = 50_000,
): Promise<StateBenchResult[]> {
  const keys = Array.from({ length: distinctKeys }, (_, i) => benchKey(i));
  const values = Array.from({ length: 16 }, (_, i) => benchValue(i));
  const map = new Map<string, Buffer>();
  let start = performance.now();
  for (let i = 0; i < ops; i++) {
    const k = keys[(i * 7919) % distinctKeys].toString('latin1');
    map.set(k, values[i & 15]);
    map.get(k);
  }
  const reference = { name: 'Map set+get', value: ops / secondsSince(start), unit: 'pairs/s' };
  const results: StateBenchResult[] = [];
  for (const target of targets) {
    const tmp = benchDir('bench-store-');
    try {
      const context = new BenchContext(tmp.dir);
      const store = await target.open(context);
      start = performance.now();
      for (let i = 0; i < ops; i++) store.putGet(i, keys[(i * 7919) % distinctKeys], values[i & 15]);
      const rate = ops / secondsSince(start);
      await store.close();
      results.push({ name: `${target.name} put+get`, value: rate, unit: 'pairs/s', reference });
    } finally {
      tmp.cleanup();
    }
  }
  return results;
}
