import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageError } from '../../errors/embedded-mongo-error';
import { commandError } from '../../errors/error-codes';
import { FsyncPolicy } from '../../embedded-mongo-options';
import { MongoLogger } from '../../logger';
import { Collection } from './collection';
import { Doc } from './document-paths';
import { CollectionJournal, syncDir } from './journal';

const JOURNAL_SUFFIX = '.journal';
/** Data directories open in this process (the pid in the lock file cannot tell two of them apart). */
const OPEN_IN_PROCESS = new Set<string>();
const LOCK_FILE = 'embedded-mongo.lock';

/** Storage settings. */
export interface StorageConfig {
  readonly dataDir: string;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  readonly compactionThreshold: number;
  readonly logger: MongoLogger;
}

/**
 * Every database and collection, in memory, journaled under `dataDir/<db>/<collection>.journal`
 * (names URI-encoded). Loads the journals on {@link open}; {@link flush} writes what a command
 * changed before the command is acknowledged.
 */
export class StorageEngine {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private fsyncTimer: NodeJS.Timeout | undefined;
  private lockFile: string | undefined;
  private lockedDir: string | undefined;

  constructor(private readonly config: StorageConfig) {}

  /** Locks the data directory and loads every journal in it. */
  open(): void {
    const { dataDir } = this.config;
    try {
      fs.mkdirSync(dataDir, { recursive: true });
    } catch (e) {
      throw new StorageError(`cannot create data directory ${dataDir}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    this.lock();
    try {
      this.load();
    } catch (e) {
      this.close();
      throw e instanceof StorageError
        ? e
        : new StorageError(`cannot load ${dataDir}: ${(e as Error).message}`, { cause: e });
    }
    if (this.config.fsync === 'interval') {
      this.fsyncTimer = setInterval(() => this.syncAll(), this.config.fsyncIntervalMs);
      this.fsyncTimer.unref();
    }
  }

  private load(): void {
    const { dataDir, logger } = this.config;
    let documents = 0;
    for (const dbEntry of fs.readdirSync(dataDir, { withFileTypes: true })) {
      if (!dbEntry.isDirectory()) continue;
      const db = decodeURIComponent(dbEntry.name);
      for (const file of fs.readdirSync(path.join(dataDir, dbEntry.name))) {
        const full = path.join(dataDir, dbEntry.name, file);
        if (file.endsWith('.compact')) {
          fs.rmSync(full, { force: true }); // an interrupted compaction; the journal is intact
          continue;
        }
        if (!file.endsWith(JOURNAL_SUFFIX)) continue;
        const name = decodeURIComponent(file.slice(0, -JOURNAL_SUFFIX.length));
        const { records } = CollectionJournal.read(full, logger);
        const first = records[0];
        const options = first && 'c' in first ? (first['c'] as Doc) : {};
        const collection = new Collection(db, name, options, new CollectionJournal(full, logger));
        for (const record of records) collection.replay(record);
        collection.journal.records = records.length;
        this.collections(db, true).set(name, collection);
        documents += collection.docs.size;
        collection.maybeCompact(this.config.compactionThreshold);
      }
    }
    logger.info(`loaded ${documents} documents from ${dataDir}`);
  }

  private lock(): void {
    const real = fs.realpathSync(this.config.dataDir);
    if (OPEN_IN_PROCESS.has(real)) {
      throw new StorageError(
        `data directory ${this.config.dataDir} is in use by another server in this process`,
      );
    }
    const file = path.join(this.config.dataDir, LOCK_FILE);
    try {
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new StorageError(`data directory ${this.config.dataDir} is in use by process ${pid}`);
      }
    } catch (e) {
      if (e instanceof StorageError) throw e;
    }
    fs.writeFileSync(file, String(process.pid));
    this.lockFile = file;
    this.lockedDir = real;
    OPEN_IN_PROCESS.add(real);
  }

  /** Database names that hold at least one collection. */
  databaseNames(): string[] {
    return [...this.databases.entries()].filter(([, c]) => c.size > 0).map(([name]) => name);
  }

  /** The collections of a database (an empty list for an unknown one). */
  listCollections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  /** A collection, or undefined when it does not exist. */
  get(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** A collection, created (and journaled) when missing. */
  getOrCreate(db: string, name: string, options: Doc = {}): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    validateNames(db, name);
    const file = path.join(this.config.dataDir, encodeName(db), encodeName(name) + JOURNAL_SUFFIX);
    const collection = new Collection(db, name, options, new CollectionJournal(file, this.config.logger));
    collection.journal.append({ c: options });
    this.collections(db, true).set(name, collection);
    return collection;
  }

  /** Drops a collection; returns false when it did not exist. */
  drop(db: string, name: string): boolean {
    const collection = this.get(db, name);
    if (!collection) return false;
    collection.journal.remove();
    this.databases.get(db)?.delete(name);
    syncDir(path.dirname(collection.journal.file));
    return true;
  }

  /** Drops every collection of a database. */
  dropDatabase(db: string): void {
    for (const collection of this.listCollections(db)) this.drop(db, collection.name);
    this.databases.delete(db);
    fs.rmSync(path.join(this.config.dataDir, encodeName(db)), { recursive: true, force: true });
  }

  /** Writes every change of the running command to the journals (one write per collection). */
  flush(): void {
    const sync = this.config.fsync === 'always';
    for (const collections of this.databases.values()) {
      for (const collection of collections.values()) {
        if (!collection.journal.hasPending) continue;
        collection.journal.flush(sync);
        collection.maybeCompact(this.config.compactionThreshold);
      }
    }
  }

  /** fsyncs every journal with unsynced writes. */
  syncAll(): void {
    for (const collections of this.databases.values()) {
      for (const collection of collections.values()) {
        try {
          collection.journal.sync();
        } catch (e) {
          this.config.logger.error(`fsync of ${collection.journal.file} failed: ${(e as Error).message}`);
        }
      }
    }
  }

  /** Flushes, fsyncs and closes every journal and releases the lock (even when a journal fails). */
  close(): void {
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    let failure: unknown;
    for (const collections of this.databases.values()) {
      for (const collection of collections.values()) {
        try {
          collection.journal.close(this.config.fsync !== 'never');
        } catch (e) {
          failure ??= e;
        }
      }
    }
    this.databases.clear();
    if (this.lockFile) fs.rmSync(this.lockFile, { force: true });
    if (this.lockedDir) OPEN_IN_PROCESS.delete(this.lockedDir);
    if (failure) throw failure;
  }

  private collections(db: string, create: boolean): Map<string, Collection> {
    let collections = this.databases.get(db);
    if (!collections) {
      collections = new Map();
      if (create) this.databases.set(db, collections);
    }
    return collections;
  }
}

function encodeName(name: string): string {
  return encodeURIComponent(name).replace(/\./g, '%2E').replace(/\*/g, '%2A');
}

/** Checks database and collection names as MongoDB does (InvalidNamespace otherwise). */
export function validateNames(db: string, collection?: string): void {
  if (typeof db !== 'string' || db.length === 0 || db.length > 63 || /[/\\. "$\0]/.test(db)) {
    throw commandError('InvalidNamespace', `Invalid database name: '${String(db)}'`);
  }
  if (collection === undefined) return;
  if (
    typeof collection !== 'string' ||
    collection.length === 0 ||
    collection.includes('\0') ||
    collection.includes('$') ||
    collection.startsWith('.')
  ) {
    throw commandError('InvalidNamespace', `Invalid collection name: '${String(collection)}'`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
