import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedMongoOptions, MongoOptions, ResolvedMongoOptions } from './embedded-mongo-options';
import { EmbeddedMongoError } from './errors/embedded-mongo-error';
import { CommandStats } from './internals/commands/command-stats';
import { CursorRegistry } from './internals/commands/cursor-registry';
import { EmbeddedMongoStats } from './embedded-mongo-stats';
import { WireServer } from './internals/server/wire-server';
import { MongoUsers } from './internals/auth/mongo-users';
import { StorageEngine } from './internals/storage/storage-engine';

/**
 * A MongoDB-wire-protocol server for local runs and tests (production uses MongoDB).
 *
 * ```ts
 * const mongo = await EmbeddedMongo.start({ port: 0, dataDir: '.data/mongo' });
 * const client = await MongoClient.connect(mongo.uri);
 * // ...
 * await client.close();
 * await mongo.stop();
 * ```
 */
export class EmbeddedMongo {
  private stopped = false;

  private constructor(
    private readonly options: ResolvedMongoOptions,
    private readonly storage: StorageEngine,
    private readonly cursors: CursorRegistry,
    private readonly wire: WireServer,
    private readonly commandStats: CommandStats,
    /** The bound TCP port. */
    readonly port: number,
    /** The data directory in use. */
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {}

  /**
   * Loads the data directory and starts listening.
   * @throws InvalidConfigError for a bad option or a port in use; StorageError when the data directory cannot be used.
   */
  static async start(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
    const resolved = MongoOptions.resolve(options);
    const ownsDataDir = resolved.dataDir === undefined;
    const dataDir = resolved.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-'));
    const storage = new StorageEngine({
      dataDir,
      fsync: resolved.fsync,
      fsyncIntervalMs: resolved.fsyncIntervalMs,
      compactionThreshold: resolved.compactionThreshold,
      logger: resolved.logger,
    });
    try {
      storage.open();
    } catch (e) {
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
    const cursors = new CursorRegistry();
    const stats = new CommandStats();
    let wire: WireServer | undefined = undefined;
    const facts = {
      host: resolved.host,
      port: resolved.port,
      startedAt: new Date(),
      dataDir,
      stats,
      connections: () => wire?.connectionCount ?? 0,
    };
    const users = resolved.auth ? new MongoUsers(resolved.auth.users) : undefined;
    wire = new WireServer({ storage, cursors, server: facts, logger: resolved.logger, users });
    let port: number;
    try {
      port = await wire.listen(resolved.port, resolved.host);
    } catch (e) {
      storage.close();
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
    facts.port = port;
    resolved.logger.info(
      `listening on ${resolved.host}:${port}, data in ${dataDir}` +
        (users ? `, authentication required (${users.size} SCRAM-SHA-256 users)` : ''),
    );
    return new EmbeddedMongo(resolved, storage, cursors, wire, stats, port, dataDir, ownsDataDir);
  }

  /** The bound host. */
  get host(): string {
    return this.options.host;
  }

  /** Connection string for the `mongodb` driver, e.g. `mongodb://127.0.0.1:27017`. */
  get uri(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `mongodb://${host === '0.0.0.0' ? '127.0.0.1' : host}:${this.port}`;
  }

  /** Whether clients must authenticate (the `auth` option). */
  get authRequired(): boolean {
    return this.options.auth !== undefined;
  }

  /**
   * Connection string with credentials, e.g. `mongodb://app:pw@127.0.0.1:27017/gmart?authSource=admin`
   * (user and password percent-encoded; `authSource` the user's database, `admin` by default).
   */
  uriFor(user: string, password: string, db = '', authSource = 'admin'): string {
    const base = this.uri.slice('mongodb://'.length);
    const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
    return `mongodb://${credentials}@${base}/${encodeURIComponent(db)}?authSource=${encodeURIComponent(authSource)}`;
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.wire.connectionCount;
  }

  /** A snapshot of the server's counters (see the metrics table of the README). */
  stats(): EmbeddedMongoStats {
    const commands: Record<string, { total: number; failed: number }> = {};
    for (const [name, entry] of this.commandStats.commands) commands[name] = { ...entry };
    let documents = 0;
    let collections = 0;
    for (const db of this.storage.databaseNames()) {
      for (const c of this.storage.listCollections(db)) {
        collections++;
        documents += c.docs.size;
      }
    }
    return {
      connections: this.wire.connectionCount,
      totalConnections: this.commandStats.totalConnections,
      rejectedConnections: this.commandStats.rejectedConnections,
      openCursors: this.cursors.size,
      databases: this.storage.databaseNames().length,
      collections,
      documents,
      commands,
    };
  }

  /**
   * Closes every connection, flushes and fsyncs the journals and releases the data directory
   * (a temporary one is deleted). Safe to call twice.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.wire.close();
    this.cursors.clear();
    try {
      this.storage.close();
    } catch (e) {
      throw new EmbeddedMongoError(`closing the journals failed: ${(e as Error).message}`, { cause: e });
    } finally {
      if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
    this.options.logger.info('stopped');
  }
}
