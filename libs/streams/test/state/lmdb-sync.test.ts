/**
 * When an LMDB store waits for the disk: its write buffer's commits (size, byte and delay bounds, and
 * the commit before a range read) are in the LMDB file without an `fsync`, so the stream thread never
 * blocks on the disk between checkpoints; `flush()` (which precedes every checkpoint) syncs the
 * environment, so a checkpoint never covers writes the disk may not hold. The syncs are counted on
 * the environment's native handle (the real `mdb_env_sync` still runs).
 */
import { join } from 'node:path';
import type { RootDatabase } from 'lmdb';
import { ProcessorStateError } from '../../src/state';
import {
  isLmdbUnsynced,
  lmdbSyncSettled,
  markLmdbUnsynced,
  syncLmdbEnvironment,
} from '../../src/state/internals/lmdb-environment';
import { LMDB_WRITE_BUFFER_LIMITS, LmdbTable } from '../../src/state/internals/lmdb-table';
import { LMDB_DIR } from '../../src/state/internals/lmdb-key-value-store';
import { LmdbSegmentEngine } from '../../src/state/internals/segments';
import { TestStateStoreContext, inLmdbFile, lmdbEnvironmentPerTest, tempDir } from './state-test-context';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const b = (s: string) => Buffer.from(s);

/** Counts the syncs to disk of `env` (its native `sync`, called through). */
function countSyncs(env: RootDatabase): { count: number } {
  const native = (env as unknown as { env: { sync(...args: unknown[]): unknown } }).env;
  const sync = Object.getPrototypeOf(native).sync as (...args: unknown[]) => unknown;
  const counter = { count: 0 };
  Object.defineProperty(native, 'sync', {
    configurable: true,
    value: (...args: unknown[]) => {
      counter.count++;
      return sync.apply(native, args);
    },
  });
  return counter;
}

describe('LmdbTable: commits without waiting for the disk, flush() durable', () => {
  const lmdb = lmdbEnvironmentPerTest('sync-test');

  it('commits at its bounds and before range reads without a sync; flush() syncs once', async () => {
    const syncs = countSyncs(lmdb.env);
    const table = new LmdbTable(lmdb.env, lmdb.env as never, {
      ...LMDB_WRITE_BUFFER_LIMITS,
      entries: 3,
      maxDelayMs: 50,
    });
    // the entries bound
    for (const k of ['a', 'b', 'c']) table.put(b(k), b(`bound-marker-${k}`));
    expect(table.hasPendingWrites()).toBe(false);
    expect(inLmdbFile(lmdb.dir, 'bound-marker-c')).toBe(true);
    // a range read sees a buffered write: it commits it first
    table.put(b('d'), b('range-marker-d'));
    const seen: string[] = [];
    table.forEachInRange(b('a'), b('z'), false, (_k, v) => seen.push(v.toString()));
    expect(seen).toEqual(['bound-marker-a', 'bound-marker-b', 'bound-marker-c', 'range-marker-d']);
    expect(inLmdbFile(lmdb.dir, 'range-marker-d')).toBe(true);
    const it = table.range(undefined, undefined, true);
    table.put(b('e'), b('iterator-marker-e'));
    it.close();
    expect(table.range(b('e'), b('e'), false).next().value?.value).toEqual(b('iterator-marker-e'));
    // the delay bound
    table.put(b('f'), b('delay-marker-f'));
    await sleep(120);
    table.commitIfDue();
    expect(inLmdbFile(lmdb.dir, 'delay-marker-f')).toBe(true);
    // a restore batch
    table.writeBatch([{ key: b('g'), value: b('batch-marker-g') }]);
    expect(syncs.count).toBe(0);

    table.put(b('h'), b('flush-marker-h'));
    table.flush();
    expect(syncs.count).toBe(1);
    expect(inLmdbFile(lmdb.dir, 'flush-marker-h')).toBe(true);
    // nothing committed since: no second sync
    table.flush();
    expect(syncs.count).toBe(1);
    // a commit since the last sync, nothing buffered now: flush() still syncs it
    table.put(b('i'), b('late-marker-i'));
    table.commit();
    table.flush();
    expect(syncs.count).toBe(2);
    table.close();
  });

  it('an environment reopened after a run that left commits unsynced syncs at its first flush, with nothing written since', async () => {
    // The earlier run (a killed process, or a dirty close of the task in this process) committed
    // without a sync; closing the environment does not sync it either (noSync).
    const first = new LmdbTable(lmdb.env, lmdb.env as never);
    first.put(b('a'), b('unsynced-by-the-earlier-run'));
    first.commit();
    first.close();
    await lmdb.reopen();
    const syncs = countSyncs(lmdb.env);
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    expect(table.get(b('a'))).toEqual(b('unsynced-by-the-earlier-run'));
    // A clean close (flush, then the checkpoint, then the `.unsynced` marker removed) must leave
    // the earlier run's commits on disk: the next boot trusts the directory.
    table.flush();
    expect(syncs.count).toBe(1);
    table.flush();
    expect(syncs.count).toBe(1);
    table.close();
  });

  it('a failed sync throws a ProcessorStateError naming the directory; the environment stays unsynced', async () => {
    markLmdbUnsynced(lmdb.env);
    await lmdb.env.close();
    expect(() => syncLmdbEnvironment(lmdb.env)).toThrow(ProcessorStateError);
    expect(() => syncLmdbEnvironment(lmdb.env)).toThrow(lmdb.dir);
  });
});

/**
 * Holds back the completion of `env`'s syncs run on the thread pool (`sync(callback)`): each runs
 * (the real `mdb_env_sync`), but its callback waits until a `release()` after it started; `fail`
 * makes the syncs started from then on fail.
 */
function gateAsyncSyncs(env: RootDatabase): {
  started: number;
  blocking: number;
  release(): void;
  fail: boolean;
} {
  const native = (env as unknown as { env: { sync(...args: unknown[]): unknown } }).env;
  const sync = Object.getPrototypeOf(native).sync as (...args: unknown[]) => unknown;
  const unreleased: Array<() => void> = [];
  const gate = {
    started: 0,
    blocking: 0,
    fail: false,
    release: () => {
      for (const f of unreleased.splice(0)) f();
    },
  };
  Object.defineProperty(native, 'sync', {
    configurable: true,
    value: (...args: unknown[]) => {
      const callback = args[0];
      if (typeof callback !== 'function') {
        gate.blocking++;
        return sync.apply(native, args);
      }
      gate.started++;
      const fail = gate.fail;
      const released = new Promise<void>((resolve) => unreleased.push(resolve));
      return sync.call(native, (error?: unknown) => {
        void released.then(() => callback(fail ? new Error('EIO: i/o error, fdatasync') : error));
      });
    },
  });
  return gate;
}

describe('LmdbTable.flushAsync: the sync off the stream thread', () => {
  const lmdb = lmdbEnvironmentPerTest('sync-async-test');

  it('commits at the call and resolves only once the sync it started has finished', async () => {
    const gate = gateAsyncSyncs(lmdb.env);
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    table.put(b('a'), b('async-flush-marker-a'));
    let durable = false;
    const flushed = table.flushAsync().then(() => (durable = true));
    // committed at once (in the file), synced once, not reported durable before the sync finished
    expect(table.hasPendingWrites()).toBe(false);
    expect(inLmdbFile(lmdb.dir, 'async-flush-marker-a')).toBe(true);
    expect(gate.started).toBe(1);
    // a second flush with nothing committed since is durable when that same sync is: no second
    // sync, and it does not resolve before the first one did
    let secondDurable = false;
    const second = table.flushAsync().then(() => (secondDurable = true));
    // neither does the blocking flush() return before the disk has it: it syncs itself
    table.flush();
    expect(gate.blocking).toBe(1);
    await sleep(50);
    expect(gate.started).toBe(1);
    expect([durable, secondDurable]).toEqual([false, false]);
    gate.release();
    await Promise.all([flushed, second]);
    expect([durable, secondDurable]).toEqual([true, true]);
    // nothing committed since: nothing to sync
    await table.flushAsync();
    expect(gate.started).toBe(1);
    // a commit made while a sync runs is synced by the next flush
    table.put(b('b'), b('async-flush-marker-b'));
    const third = table.flushAsync();
    table.put(b('c'), b('async-flush-marker-c'));
    table.commit();
    gate.release();
    const fourth = table.flushAsync();
    expect(gate.started).toBe(3);
    gate.release();
    await third;
    gate.release();
    await fourth;
    expect(isLmdbUnsynced(lmdb.env)).toBe(false);
    await lmdbSyncSettled(lmdb.env);
    table.close();
  });

  it('a failed sync rejects with a ProcessorStateError naming the directory; the environment stays unsynced', async () => {
    const gate = gateAsyncSyncs(lmdb.env);
    gate.fail = true;
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    table.put(b('a'), b('failing-sync-marker'));
    const flushed = table.flushAsync();
    gate.release();
    await expect(flushed).rejects.toThrow(ProcessorStateError);
    await expect(flushed).rejects.toThrow(lmdb.dir);
    await expect(flushed).rejects.toThrow('EIO');
    expect(isLmdbUnsynced(lmdb.env)).toBe(true);
    // the next flush syncs again
    gate.fail = false;
    const again = table.flushAsync();
    gate.release();
    await again;
    expect(gate.started).toBe(2);
    expect(isLmdbUnsynced(lmdb.env)).toBe(false);
    table.close();
  });

  it('lmdbSyncSettled waits for every sync started, failed ones included', async () => {
    const gate = gateAsyncSyncs(lmdb.env);
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    table.put(b('a'), b('settle-marker-a'));
    gate.fail = true;
    const first = table.flushAsync().catch(() => 'failed');
    gate.fail = false;
    table.put(b('b'), b('settle-marker-b'));
    const second = table.flushAsync();
    let settled = false;
    const all = lmdbSyncSettled(lmdb.env).then(() => (settled = true));
    await sleep(20);
    expect(settled).toBe(false);
    gate.release();
    await all;
    expect(settled).toBe(true);
    expect(await first).toBe('failed');
    await second;
    table.close();
  });
});

describe('LmdbSegmentEngine: one commit and one sync per flush', () => {
  it('commits every dirty segment in one transaction and syncs once; range reads do not sync', async () => {
    const tmp = tempDir();
    const engine = new LmdbSegmentEngine(new TestStateStoreContext(tmp.dir), 'sessions', 60_000);
    try {
      const syncs = countSyncs((engine as unknown as { env: RootDatabase }).env);
      const dir = join(tmp.dir, LMDB_DIR, 'sessions');
      const s1 = engine.open(1);
      const s2 = engine.open(2);
      s1.put(b('k1'), b('segment-one-marker'));
      s2.put(b('k2'), b('segment-two-marker'));
      const seen: string[] = [];
      s1.forEachInRange!(undefined, undefined, false, (_k, v) => seen.push(v.toString()));
      expect(seen).toEqual(['segment-one-marker']);
      expect(syncs.count).toBe(0);
      s1.put(b('k3'), b('segment-one-second-marker'));
      engine.flushAll([s1, s2]);
      expect(syncs.count).toBe(1);
      for (const m of ['segment-one-marker', 'segment-one-second-marker', 'segment-two-marker'])
        expect(inLmdbFile(dir, m)).toBe(true);
      engine.flushAll([s1, s2]);
      expect(syncs.count).toBe(1);
      s1.close();
      s2.close();
    } finally {
      await engine.close();
      tmp.cleanup();
    }
  });
});
