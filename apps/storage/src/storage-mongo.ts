import { setTimeout as sleep } from 'node:timers/promises';
import { Collection, Db, Document, MongoClient } from 'mongodb';
import { mongoIdentity, redactMongoUris } from './mongo-credentials';
import { type StorageConfig, storageDatabase } from './storage.config';

/** How {@link StorageMongo.waitUntilReachable} retries. */
export interface MongoWaitOptions {
  /** Give up (throw) once MongoDB has been unreachable this long, ms. */
  readonly budgetMs: number;
  /** First retry delay, doubled after each failure up to {@link maxDelayMs}. Default 250 ms. */
  readonly initialDelayMs?: number;
  /** Largest retry delay. Default 5000 ms. */
  readonly maxDelayMs?: number;
  /** Told about each failed attempt (the error's text, never credentials: the driver omits them). */
  readonly onRetry?: (attempt: number, delayMs: number, error: Error) => void;
}

/** Error text of a failed MongoDB attempt, credentials stripped from any URI it quotes. */
function describe(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return redactMongoUris(text);
}

/** MongoDB's code of `e` or of an error in its `cause` chain (the driver wraps handshake errors). */
function serverCode(e: unknown): number | undefined {
  for (
    let c = e as { code?: unknown; cause?: unknown } | undefined, i = 0;
    c && i < 5;
    c = c.cause as never, i++
  )
    if (typeof c.code === 'number') return c.code;
  return undefined;
}

/** MongoDB's AuthenticationFailed and Unauthorized: retrying cannot help, the credentials must change. */
const AUTHENTICATION_FAILED = 18;
const UNAUTHORIZED = 13;

/**
 * The service's MongoDB client and collections. At start the service waits for MongoDB with
 * capped exponential backoff ({@link waitUntilReachable}); while it runs, {@link ping} tells the
 * availability watchdog whether MongoDB still answers.
 */
export class StorageMongo {
  private currentClient: MongoClient;

  constructor(
    private readonly uri: string,
    private readonly database: string,
    private readonly purchasesName: string,
    private readonly securityName: string,
  ) {
    this.currentClient = this.newClient();
  }

  private newClient(): MongoClient {
    // Short server selection so a failed write is retried (and logged) every few seconds during an outage.
    return new MongoClient(this.uri, { serverSelectionTimeoutMS: 5000, appName: 'gmart-storage' });
  }

  /** The MongoDB client (replaced by a fresh one after each failed start attempt). */
  get client(): MongoClient {
    return this.currentClient;
  }

  /** The service's database. */
  get db(): Db {
    return this.currentClient.db(this.database);
  }

  static fromConfig(config: StorageConfig): StorageMongo {
    const e = config.extra;
    return new StorageMongo(
      e.MONGODB_URI,
      storageDatabase(e),
      e.MONGODB_PURCHASES_COLLECTION,
      e.MONGODB_SECURITY_COLLECTION,
    );
  }

  /** Whether MongoDB answers a `ping` now; rejects with the driver's error when it does not. */
  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  /**
   * Resolves once MongoDB answers a `ping`, retrying with capped exponential backoff; rejects with
   * an error naming MongoDB, the budget and the last failure once `budgetMs` has passed.
   */
  async waitUntilReachable(options: MongoWaitOptions): Promise<void> {
    const started = Date.now();
    let delay = options.initialDelayMs ?? 250;
    const maxDelay = options.maxDelayMs ?? 5000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ping();
        // ping runs without authentication on MongoDB: list the collections too, so missing or
        // refused credentials stop the start here rather than at the first write.
        await this.db.command({ listCollections: 1, nameOnly: true, authorizedCollections: true });
        return;
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const refused = this.credentialProblem(error);
        if (refused) throw new Error(refused);
        const elapsed = Date.now() - started;
        if (elapsed >= options.budgetMs) {
          throw new Error(
            `MongoDB unreachable for ${elapsed} ms (MONGODB_UNAVAILABLE_BUDGET_MS=${options.budgetMs}): ${describe(error)}`,
          );
        }
        // A client whose first connection failed may stay closed ("Topology is closed"): start afresh.
        await this.currentClient.close().catch(() => undefined);
        this.currentClient = this.newClient();
        const wait = Math.min(delay, maxDelay, Math.max(0, options.budgetMs - elapsed));
        options.onRetry?.(attempt, wait, error);
        await sleep(wait);
        delay = Math.min(delay * 2, maxDelay);
      }
    }
  }

  /**
   * The message for an error that retrying cannot fix (wrong credentials, none where MongoDB
   * requires them), naming the user and authentication database but never the password.
   */
  private credentialProblem(error: Error): string | undefined {
    const code = serverCode(error);
    if (code !== AUTHENTICATION_FAILED && code !== UNAUTHORIZED) return undefined;
    const { user, authSource } = mongoIdentity(this.uri);
    if (code === AUTHENTICATION_FAILED)
      return `MongoDB refused the credentials of MONGODB_URI (AuthenticationFailed, user "${user ?? ''}", authSource "${authSource}"): check the user name, password and authSource (${describe(error)})`;
    return user === undefined
      ? `MongoDB requires authentication but MONGODB_URI has no user and password (Unauthorized: ${describe(error)})`
      : `MongoDB user "${user}" (authSource "${authSource}") may not use database "${this.database}" (Unauthorized: ${describe(error)})`;
  }

  /** Purchases over $5.00 (one document per purchase). */
  purchases(): Collection<Document> {
    return this.db.collection(this.purchasesName);
  }

  /** Purchases rung up by employee 000000 (date, employee, item). */
  securityAudit(): Collection<Document> {
    return this.db.collection(this.securityName);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export { describe as describeMongoError };
