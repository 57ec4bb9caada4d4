import { mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import { ProcessorStateError } from '../errors';

/**
 * Opens (creating if needed) an LMDB environment for binary keys and values at `path`, with `noSync`:
 * a commit writes its pages to the file (the operating system's page cache) but does not wait for the
 * disk, so the write buffer's commits between checkpoints never block the stream thread on `fsync`.
 * A process crash (`kill -9`) loses none of them; the disk holds them for sure only after
 * {@link syncLmdbEnvironment}, which a store's `flush()` calls before a checkpoint is written (Kafka
 * Streams likewise runs RocksDB without a write-ahead log and flushes it before a checkpoint).
 */
export function openLmdbEnvironment(path: string, storeName: string, maxDbs = 1): RootDatabase {
  let env: RootDatabase;
  try {
    mkdirSync(path, { recursive: true });
    env = open({ path, keyEncoding: 'binary', encoding: 'binary', maxDbs, noSync: true }) as RootDatabase;
  } catch (cause) {
    throw new ProcessorStateError(`store ${storeName}: cannot open LMDB environment at ${path}`, { cause });
  }
  // An earlier run may have left commits in the page cache only (a killed process, a dirty close of
  // the task in this process): the first flush syncs them too, even if this run commits nothing, so
  // a clean close (flush, checkpoint, `.unsynced` marker removed) never vouches for unsynced pages.
  markLmdbUnsynced(env);
  return env;
}

/** Environments with commits not yet synced to disk ({@link markLmdbUnsynced}). */
const unsynced = new WeakSet<RootDatabase>();

/** Notes that `env` committed a transaction without syncing it (see {@link openLmdbEnvironment}). */
export function markLmdbUnsynced(env: RootDatabase): void {
  unsynced.add(env);
}

/** True while `env` has commits not yet synced to disk. */
export function isLmdbUnsynced(env: RootDatabase): boolean {
  return unsynced.has(env);
}

/**
 * Makes every commit of `env` durable: one synchronous `fdatasync` of its data file (LMDB's
 * `mdb_env_sync` with `force`), skipped when nothing was committed since the last one (the first
 * call after {@link openLmdbEnvironment} always syncs: an earlier run's commits may be unsynced). Throws a
 * {@link ProcessorStateError} naming the directory and the cause if the disk refuses.
 */
export function syncLmdbEnvironment(env: RootDatabase): void {
  // (a sync running on the thread pool may not have finished: this one waits for the disk itself)
  if (!unsynced.has(env) && !syncsRunning.has(env)) return;
  try {
    // lmdb-js keeps the native environment as `env`; its `sync()` without a callback is synchronous.
    (env as RootDatabase & { readonly env: { sync(): void } }).env.sync();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProcessorStateError(
      `syncing the LMDB store at ${lmdbDirectory(env)} to disk failed: ${reason}`,
      { cause },
    );
  }
  unsynced.delete(env);
}

/**
 * Per environment, a promise that settles (never rejects) once every sync started by
 * {@link syncLmdbEnvironmentAsync} so far has finished.
 */
const syncsSettled = new WeakMap<RootDatabase, Promise<void>>();

/** Per environment, the last sync {@link syncLmdbEnvironmentAsync} started, while it runs. */
const syncsRunning = new WeakMap<RootDatabase, Promise<void>>();

/**
 * {@link syncLmdbEnvironment} without blocking the thread: the `fdatasync` runs on libuv's thread
 * pool (lmdb-js' `env.sync(callback)`), so the syncs of several environments (the tasks'
 * checkpoints of one commit) overlap each other and the thread's other work. It covers every commit
 * made before the call (and resolves at once if there is none since the last sync); a commit made
 * while it runs marks the environment unsynced again. Rejects with a {@link ProcessorStateError}
 * naming the directory and the cause (the environment then counts as unsynced still). Close the
 * environment only after {@link lmdbSyncSettled}.
 */
export function syncLmdbEnvironmentAsync(env: RootDatabase): Promise<void> {
  // nothing committed since the last sync started: that sync (if it still runs) covers every commit
  if (!unsynced.has(env)) return syncsRunning.get(env) ?? Promise.resolve();
  unsynced.delete(env);
  const native = (env as RootDatabase & { readonly env: { sync(callback: (error?: unknown) => void): void } })
    .env;
  const done = new Promise<void>((resolve, reject) => {
    try {
      native.sync((error) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error);
    }
  }).catch((cause: unknown) => {
    markLmdbUnsynced(env);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProcessorStateError(
      `syncing the LMDB store at ${lmdbDirectory(env)} to disk failed: ${reason}`,
      {
        cause,
      },
    );
  });
  const settled = done.then(
    () => undefined,
    () => undefined,
  );
  syncsRunning.set(env, done);
  void settled.then(() => {
    if (syncsRunning.get(env) === done) syncsRunning.delete(env);
  });
  const before = syncsSettled.get(env);
  syncsSettled.set(
    env,
    before === undefined ? settled : Promise.all([before, settled]).then(() => undefined),
  );
  return done;
}

/** Resolves once every {@link syncLmdbEnvironmentAsync} of `env` started so far has finished (well or not). */
export function lmdbSyncSettled(env: RootDatabase): Promise<void> {
  return syncsSettled.get(env) ?? Promise.resolve();
}

/** The directory of an LMDB environment (lmdb-js keeps it as `path`; its typings leave it out). */
export function lmdbDirectory(env: RootDatabase): string {
  return (env as RootDatabase & { readonly path?: string }).path ?? '(unknown directory)';
}
