import { type ConfigOf, defineServiceConfig, Env } from '@gmart/nest-streams';
import ConnectionString from 'mongodb-connection-string-url';

/**
 * Configuration of the storage service: the common streams variables (`KAFKA_BROKERS`,
 * `APPLICATION_ID` = `gmart-storage`, `HTTP_PORT` = 8084, `DLQ_TOPIC`, ...), its input topic
 * `TOPIC_PURCHASES` (`purchases`) and its MongoDB variables.
 */
export const storageConfig = defineServiceConfig({
  service: 'storage',
  topics: { PURCHASES: 'purchases' },
  variables: {
    MONGODB_URI: Env.string('MongoDB connection string (mongodb:// or mongodb+srv://)').refine(
      (v) => /^mongodb(\+srv)?:\/\/\S+$/.test(v),
      'must be a mongodb:// or mongodb+srv:// connection string',
    ),
    MONGODB_DATABASE: Env.optionalString(
      "MongoDB database of the collections; unset: the database in MONGODB_URI's path, else `gmart`",
    ),
    MONGODB_PURCHASES_COLLECTION: Env.string(
      'Collection of purchases over $5.00, keyed by purchase date',
      'purchases',
    ),
    MONGODB_SECURITY_COLLECTION: Env.string(
      'Collection of the purchases rung up by employee 000000',
      'security_audit',
    ),
    MONGODB_UNAVAILABLE_BUDGET_MS: Env.int(
      'How long MongoDB may stay unreachable (at start, or while running) before the service fails and exits',
      { min: 1000, max: 3_600_000, fallback: 120_000 },
    ),
    MONGODB_BATCH_SIZE: Env.int('Documents per bulkWrite of the MongoDB sinks', {
      min: 1,
      max: 100000,
      fallback: 1000,
    }),
  },
});

/** The database named in a MongoDB connection string's path (`mongodb://host/<db>?...`), if any. */
export function databaseOfUri(uri: string): string | undefined {
  const name = decodeURIComponent(new ConnectionString(uri).pathname.replace(/^\//, ''));
  return name === '' ? undefined : name;
}

/**
 * The database the storage service writes: `MONGODB_DATABASE`, else the database in `MONGODB_URI`
 * (the driver's convention: `MongoClient.db()` uses the URI's), else `gmart`.
 */
export function storageDatabase(extra: { MONGODB_URI: string; MONGODB_DATABASE?: string }): string {
  return extra.MONGODB_DATABASE ?? databaseOfUri(extra.MONGODB_URI) ?? 'gmart';
}

/** The loaded storage configuration. */
export type StorageConfig = ConfigOf<typeof storageConfig>;
