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
  if (!unsynced.has(env)) return;
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

/** The directory of an LMDB environment (lmdb-js keeps it as `path`; its typings leave it out). */
export function lmdbDirectory(env: RootDatabase): string {
  return (env as RootDatabase & { readonly path?: string }).path ?? '(unknown directory)';
}
