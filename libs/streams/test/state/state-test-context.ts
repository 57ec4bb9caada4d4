import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  StateRestoreCallback,
  StateStore,
  StateStoreContext,
  StoreRegistration,
  TaskId,
} from '../../src/processor/state-store';
import { Serdes, type Headers, type Serde } from '../../src/serialization';
import { ProcessorStateManager } from '../../src/processor/internals/processor-state-manager';
import { Registry } from 'prom-client';
import type { RootDatabase } from 'lmdb';
import { openLmdbEnvironment } from '../../src/state/internals/lmdb-environment';

/** One `logChange` call. */
export interface LoggedChange {
  storeName: string;
  key: Buffer;
  value: Buffer | null;
  timestamp: number;
}

/** One `register` call. */
export interface Registration {
  store: StateStore;
  restore: StateRestoreCallback;
  registration?: StoreRegistration;
}

export function taskId(subtopology: number, partition: number): TaskId {
  return { subtopology, partition, toString: () => `${subtopology}_${partition}` };
}

/**
 * A real in-process StateStoreContext: collects changelog writes and registrations (what the runtime
 * would send to Kafka and to its state manager), optionally forwarding registrations to a ProcessorStateManager.
 */
export class TestStateStoreContext implements StateStoreContext {
  readonly changes: LoggedChange[] = [];
  readonly registrations: Registration[] = [];
  timestamp = 0;
  /** The headers of the record being processed, as the runtime reports them (`undefined`: none). */
  headers: Headers | undefined = undefined;
  readonly metricsRegistry = new Registry();
  /** Contexts given the same owner share one record cache (as the tasks of one stream thread). */
  recordCacheOwner: object | undefined = undefined;

  constructor(
    readonly stateDir: string,
    readonly cacheMaxBytes = 10 * 1024 * 1024,
    readonly applicationId = 'app',
    readonly taskId: TaskId = taskIdOf(0, 0),
    readonly manager?: ProcessorStateManager,
  ) {}

  register(store: StateStore, restore: StateRestoreCallback, registration?: StoreRegistration): void {
    this.registrations.push({ store, restore, registration });
    this.manager?.registerStore(store, restore, registration);
  }

  logChange(storeName: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    this.changes.push({
      storeName,
      key: Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      timestamp,
    });
  }

  currentTimestamp(): number {
    return this.timestamp;
  }

  currentHeaders(): Headers | undefined {
    return this.headers;
  }
}

const taskIdOf = taskId;

/** A unique temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'state-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * True if `marker`'s bytes are in the LMDB data file under `dir`: the file as the operating system
 * has it, not a read through LMDB (which also sees what a write buffer still holds).
 */
export function inLmdbFile(dir: string, marker: string): boolean {
  return readFileSync(join(dir, 'data.mdb')).includes(Buffer.from(marker));
}

/** An LMDB environment of one test (see {@link lmdbEnvironmentPerTest}). */
export interface TestLmdbEnvironment {
  /** Its temporary directory. */
  readonly dir: string;
  /** The environment, opened as the stores open theirs (`openLmdbEnvironment`). */
  readonly env: RootDatabase;
  /** Closes the environment (if still open; without a sync, as a killed process leaves it) and opens it again. */
  reopen(): Promise<RootDatabase>;
}

/**
 * For each test of the enclosing `describe`: a fresh temporary directory with an LMDB environment
 * opened in it, closed and removed after the test.
 */
export function lmdbEnvironmentPerTest(storeName: string): TestLmdbEnvironment {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let env: RootDatabase | undefined;
  const current: TestLmdbEnvironment = {
    get dir() {
      return tmp!.dir;
    },
    get env() {
      return env!;
    },
    async reopen() {
      await env!.close(); // closing a closed environment does nothing
      return (env = openLmdbEnvironment(tmp!.dir, storeName));
    },
  };
  beforeEach(() => {
    tmp = tempDir();
    env = openLmdbEnvironment(tmp.dir, storeName);
  });
  afterEach(async () => {
    await env?.close();
    tmp?.cleanup();
  });
  return current;
}

/** The library's own serdes (real parts, not test doubles). */
export const stringSerde: Serde<string> = Serdes.String();
export const bufferSerde: Serde<Buffer> = Serdes.Buffer();

/** Drains an iterator into [key, value] pairs. */
export function drain<K, V>(it: Iterable<{ key: K; value: V }>): Array<[K, V]> {
  const out: Array<[K, V]> = [];
  for (const e of it) out.push([e.key, e.value]);
  return out;
}

export const b = (s: string): Buffer => Buffer.from(s, 'latin1');
