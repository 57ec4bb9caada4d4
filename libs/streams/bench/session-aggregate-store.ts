/**
 * The session-window aggregation's store work alone (what `KStreamSessionWindowAggregate` does per
 * record: `findSessions(key, ts - gap, ts + gap)`, merge, remove the merged sessions, put the new
 * one; a commit-like `flush()` every 1,000 records) on the default persistent (LMDB) session store
 * with caching and logging, over the stock-analytics shape of keys (`customerId|symbol`). Prints CPU
 * µs per record; run it against two checkouts alternately to compare library versions.
 *
 *   node --conditions=@gmart/source -r @swc-node/register bench/session-aggregate-store.ts
 *
 * Env: N (records, default 20000), KEYS (distinct keys, default 3000).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Serdes } from '../src/serialization';
import { Stores } from '../src/state/stores';
import { Window, Windowed } from '../src/state/window';
import { BenchContext } from './state/bench-context';

const N = Number(process.env.N ?? 20_000);
const KEYS = Number(process.env.KEYS ?? 3000);
const GAP = 20_000;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-aggregate-store-'));
  const context = new BenchContext(dir);
  const store = Stores.sessionStoreBuilder(
    Stores.persistentSessionStore('counts', 15 * 60_000),
    Serdes.String(),
    Serdes.Long(),
  )
    .withCachingEnabled()
    .build();
  await store.init(context, store);
  const keys = Array.from(
    { length: KEYS },
    (_, i) => `C-${String(i % 100).padStart(4, '0')}|SYM${Math.floor(i / 100)}`,
  );
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const t0 = Date.parse('2026-03-02T14:30:00Z');
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const key = keys[Math.floor(random() * KEYS)]!;
    const ts = t0 + i * 2;
    context.timestamp = ts;
    let start = ts;
    let end = ts;
    let count = 0;
    const merged: Windowed<string>[] = [];
    const it = store.findSessions(key, ts - GAP, ts + GAP);
    for (const next of it) {
      merged.push(next.key);
      count += Number(next.value);
      start = Math.min(start, next.key.window().start());
      end = Math.max(end, next.key.window().end());
    }
    it.close();
    if (start !== ts || end !== ts) for (const k of merged) store.remove(k);
    store.put(new Windowed(key, new Window(start, end)), count + 1);
    if (i % 1000 === 999) await store.flush();
  }
  await store.flush();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - wall;
  console.log(
    `session aggregate store: ${N} records, ${KEYS} keys: ${((used.user + used.system) / N).toFixed(1)} µs CPU/record, ${((ms * 1000) / N).toFixed(1)} µs wall/record`,
  );
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
