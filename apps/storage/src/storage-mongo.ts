import { Collection, Db, Document, MongoClient } from 'mongodb';
import { type StorageConfig, storageDatabase } from './storage.config';

/**
 * The service's MongoDB client and collections. The client connects on first use, so the service
 * starts (and `/health/live` answers) while MongoDB is still unreachable; the sinks then wait.
 */
export class StorageMongo {
  readonly client: MongoClient;
  readonly db: Db;

  constructor(
    uri: string,
    database: string,
    private readonly purchasesName: string,
    private readonly securityName: string,
  ) {
    // Short server selection so a failed write is retried (and logged) every few seconds during an outage.
    this.client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'gmart-storage' });
    this.db = this.client.db(database);
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
