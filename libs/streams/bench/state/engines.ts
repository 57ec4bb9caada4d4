import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { open } from 'lmdb';
import { benchDir, benchKey, benchValue, secondsSince, type StateBenchResult } from './bench-util';

const BATCH = 10_000;

/**
 * Measures the two candidate disk engines on the same data: bulk write (restore path, batches of
 * 10,000), random synchronous-or-not get, and a full range scan. This measurement chose LMDB for
 * `Stores.persistentKeyValueStore` (see the State section of the README).
 */
export async function benchEngines(n = 200_000): Promise<StateBenchResult[]> {
  const keys = Array.from({ length: n }, (_, i) => benchKey(i));
  const values = Array.from({ length: n }, (_, i) => benchValue(i));
  const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
  const results: StateBenchResult[] = [];
  const tmp = benchDir('bench-engines-');
  try {
    // LMDB
    const env = open<Buffer, Buffer>({
      path: join(tmp.dir, 'lmdb'),
      keyEncoding: 'binary',
      encoding: 'binary',
    });
    const db = env;
    let start = performance.now();
    for (let b = 0; b < n; b += BATCH) {
      env.transactionSync(() => {
        for (let i = b; i < Math.min(n, b + BATCH); i++) db.putSync(keys[i], values[i]);
      });
    }
    const lmdbWrite = n / secondsSince(start);
    start = performance.now();
    for (const i of order) db.getBinary(keys[i]);
    const lmdbGet = n / secondsSince(start);
    start = performance.now();
    let count = 0;
    for (const _e of db.getRange({})) count++;
    const lmdbRange = count / secondsSince(start);
    await env.close();

    // classic-level (LevelDB)
    const level = new ClassicLevel<Buffer, Buffer>(join(tmp.dir, 'level'), {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await level.open();
    start = performance.now();
    for (let b = 0; b < n; b += BATCH) {
      const ops = [];
      for (let i = b; i < Math.min(n, b + BATCH); i++)
        ops.push({ type: 'put' as const, key: keys[i], value: values[i] });
      await level.batch(ops);
    }
    const levelWrite = n / secondsSince(start);
    start = performance.now();
    for (const i of order) level.getSync(keys[i]);
    const levelGetSync = n / secondsSince(start);
    start = performance.now();
    count = 0;
    for await (const _e of level.iterator()) count++;
    const levelRange = count / secondsSince(start);
    await level.close();

    const ref = (value: number) => ({ name: 'classic-level', value, unit: 'ops/s' });
    results.push({
      name: `engine lmdb bulk write (${BATCH}/txn)`,
      value: lmdbWrite,
      unit: 'puts/s',
      reference: ref(levelWrite),
    });
    results.push({
      name: 'engine lmdb random get (sync)',
      value: lmdbGet,
      unit: 'gets/s',
      reference: ref(levelGetSync),
      notes: 'classic-level via getSync',
    });
    results.push({
      name: 'engine lmdb full scan (sync)',
      value: lmdbRange,
      unit: 'entries/s',
      reference: ref(levelRange),
      notes: 'classic-level iterator is async only',
    });
    return results;
  } finally {
    tmp.cleanup();
  }
}
