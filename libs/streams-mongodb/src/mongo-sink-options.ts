import type { Collection, Document, IndexDescription } from 'mongodb';
import type { Registry } from 'prom-client';
import { Logger, Record, RecordMetadata } from '@gmart/streams';
import { MongoSinkConfigError } from './errors/mongo-sink-error';
import { MongoIdMapper, MongoSinkIds } from './mongo-sink-ids';

/** Turns a record into the document to store (without `_id`: the id comes from the `id` option). */
export type MongoDocumentMapper<K, V> = (record: Record<K, V>, position: RecordMetadata | null) => Document;

/**
 * Decides whether a record must not be stored: returns the reason (a short text without the
 * record's content) to refuse it, or `undefined`/`null` to store it. Refused records are forwarded
 * to the sink's children with the reason in the {@link REFUSED_REASON_HEADER} header.
 */
export type MongoRefusal<K, V> = (key: K, value: V) => string | undefined | null;

/**
 * How a document is written:
 * - `replace`: `replaceOne({ _id }, document, { upsert: true })`, the stored document is exactly the last write;
 * - `merge`: `updateOne({ _id }, { $set: document }, { upsert: true })`, fields of earlier writes not in this one stay.
 */
export type MongoWriteMode = 'replace' | 'merge';

/** Retry of failed writes: exponential backoff from `initialBackoffMs`, doubling up to `maxBackoffMs`. */
export interface MongoRetrySettings {
  /** First pause after a failed write. Default 100. */
  readonly initialBackoffMs?: number;
  /** Longest pause between attempts. Default 5000. */
  readonly maxBackoffMs?: number;
  /**
   * Give up (the stream thread fails, offsets stay uncommitted) after retrying this long.
   * Default `Infinity`: an outage pauses consumption until MongoDB is back.
   */
  readonly maxRetryTimeMs?: number;
}

/**
 * What `MongoSink.supplier()` accepts. Only `name` and `collection` are required. `TSchema` is the
 * collection's document type as the caller declared it; the sink writes the documents its
 * {@link MongoDocumentMapper} returns, whatever that type says.
 */
export interface MongoSinkSettings<K, V, TSchema extends Document = Document> {
  /** Names the sink: its processor store (`<name>-mongodb-sink`), log lines and the `sink` metric label. Letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** Target collection, or a function returning it (called when the first task starts, so the client can be created later). */
  readonly collection: Collection<TSchema> | (() => Collection<TSchema>);
  /** Record to document. Default `{ key, value, timestamp: Date }`. */
  readonly document?: MongoDocumentMapper<K, V>;
  /** Record to `_id`. Default {@link MongoSinkIds.recordPosition} (`<topic>-<partition>-<offset>`). */
  readonly id?: MongoIdMapper<K, V>;
  /** Default `replace`. */
  readonly writeMode?: MongoWriteMode;
  /** Documents per `bulkWrite`; reaching it starts a write and asks the task for an early commit. Default 1000. */
  readonly batchSize?: number;
  /** Buffered documents per task at which the sink reports a full buffer and asks for a commit. Default 10 x batchSize. */
  readonly maxBufferedDocuments?: number;
  readonly retry?: MongoRetrySettings;
  /** Indexes created (idempotently) before the first record is processed. */
  readonly indexes?: readonly IndexDescription[];
  /** Refuses records that must never be stored (see {@link MongoRefusal}). */
  readonly refuse?: MongoRefusal<K, V>;
  /** prom-client registry of the sink's metrics. Default: prom-client's global registry. */
  readonly metricsRegistry?: Registry;
  /** Default: silent. */
  readonly logger?: Logger;
}

const NAME = /^[a-zA-Z0-9._-]+$/;
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function positiveInt(option: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new MongoSinkConfigError(option, `must be an integer >= 1, got ${JSON.stringify(v)}`);
  return v;
}

function positiveMs(option: string, v: unknown, dflt: number, allowInfinity = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 1 || (!allowInfinity && !Number.isFinite(v))) {
    throw new MongoSinkConfigError(
      option,
      `must be a number of milliseconds >= 1${allowInfinity ? ' (or Infinity)' : ''}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function optionalFunction<F>(option: string, v: unknown): F | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'function')
    throw new MongoSinkConfigError(option, `must be a function, got ${v === null ? 'null' : typeof v}`);
  return v as F;
}

function isCollection(v: unknown): v is Collection<Document> {
  return (
    !!v &&
    typeof v === 'object' &&
    typeof (v as Collection).bulkWrite === 'function' &&
    typeof (v as Collection).createIndexes === 'function'
  );
}

/**
 * The validated, immutable settings of one MongoDB sink, with every default filled in.
 * `MongoSinkOptions.of(settings)` checks every option up front and throws a
 * {@link MongoSinkConfigError} naming the first bad one.
 */
export class MongoSinkOptions<K = unknown, V = unknown> {
  private constructor(
    readonly name: string,
    private readonly collectionSource: Collection<Document> | (() => Collection<Document>),
    readonly document: MongoDocumentMapper<K, V>,
    readonly id: MongoIdMapper<K, V>,
    readonly writeMode: MongoWriteMode,
    readonly batchSize: number,
    readonly maxBufferedDocuments: number,
    readonly initialBackoffMs: number,
    readonly maxBackoffMs: number,
    readonly maxRetryTimeMs: number,
    readonly indexes: readonly IndexDescription[],
    readonly refuse: MongoRefusal<K, V> | undefined,
    readonly metricsRegistry: Registry | undefined,
    readonly logger: Logger,
  ) {
    Object.freeze(this);
  }

  /** Validates `settings`; throws {@link MongoSinkConfigError} naming the bad option. */
  static of<K, V, TSchema extends Document = Document>(
    settings: MongoSinkSettings<K, V, TSchema>,
  ): MongoSinkOptions<K, V> {
    if (!settings || typeof settings !== 'object')
      throw new MongoSinkConfigError('settings', 'must be an object');
    const s = settings as MongoSinkSettings<K, V, TSchema> & { [k: string]: unknown };
    if (typeof s.name !== 'string' || !NAME.test(s.name))
      throw new MongoSinkConfigError(
        'name',
        `must be a non-empty string of letters, digits, ".", "_" or "-", got ${JSON.stringify(s.name)}`,
      );
    if (!isCollection(s.collection) && typeof s.collection !== 'function') {
      throw new MongoSinkConfigError(
        'collection',
        'must be a mongodb Collection or a function returning one',
      );
    }
    const document = optionalFunction<MongoDocumentMapper<K, V>>('document', s.document) ?? defaultDocument;
    const id = optionalFunction<MongoIdMapper<K, V>>('id', s.id) ?? MongoSinkIds.recordPosition<K, V>();
    const writeMode = s.writeMode ?? 'replace';
    if (writeMode !== 'replace' && writeMode !== 'merge')
      throw new MongoSinkConfigError(
        'writeMode',
        `must be "replace" or "merge", got ${JSON.stringify(writeMode)}`,
      );
    const batchSize = positiveInt('batchSize', s.batchSize, 1000);
    const maxBuffered = positiveInt('maxBufferedDocuments', s.maxBufferedDocuments, batchSize * 10);
    if (maxBuffered < batchSize)
      throw new MongoSinkConfigError(
        'maxBufferedDocuments',
        `must be >= batchSize (${batchSize}), got ${maxBuffered}`,
      );
    const retry = s.retry ?? {};
    if (typeof retry !== 'object' || retry === null)
      throw new MongoSinkConfigError('retry', 'must be an object');
    const initial = positiveMs('retry.initialBackoffMs', retry.initialBackoffMs, 100);
    const max = positiveMs('retry.maxBackoffMs', retry.maxBackoffMs, 5000);
    if (max < initial)
      throw new MongoSinkConfigError(
        'retry.maxBackoffMs',
        `must be >= retry.initialBackoffMs (${initial}), got ${max}`,
      );
    const maxRetryTime = positiveMs('retry.maxRetryTimeMs', retry.maxRetryTimeMs, Infinity, true);
    const indexes = s.indexes ?? [];
    if (!Array.isArray(indexes))
      throw new MongoSinkConfigError(
        'indexes',
        'must be an array of index descriptions ({ key: { field: 1 } })',
      );
    indexes.forEach((ix, i) => {
      if (
        !ix ||
        typeof ix !== 'object' ||
        !ix.key ||
        typeof ix.key !== 'object' ||
        Object.keys(ix.key).length === 0
      ) {
        throw new MongoSinkConfigError(
          `indexes[${i}].key`,
          'must be a non-empty object such as { purchaseDate: 1 }',
        );
      }
    });
    const refuse = optionalFunction<MongoRefusal<K, V>>('refuse', s.refuse);
    const registry = s.metricsRegistry;
    if (
      registry !== undefined &&
      (typeof registry !== 'object' || typeof (registry as Registry).getSingleMetric !== 'function')
    ) {
      throw new MongoSinkConfigError('metricsRegistry', 'must be a prom-client Registry');
    }
    const logger = s.logger ?? silent;
    if (typeof logger.warn !== 'function' || typeof logger.error !== 'function')
      throw new MongoSinkConfigError('logger', 'must have debug/info/warn/error methods');
    return new MongoSinkOptions<K, V>(
      s.name,
      s.collection as Collection<Document> | (() => Collection<Document>),
      document,
      id,
      writeMode,
      batchSize,
      maxBuffered,
      initial,
      max,
      maxRetryTime,
      indexes.map((ix) => ({ ...ix })),
      refuse,
      registry,
      logger,
    );
  }

  /** Name of the sink's store in the topology: `<name>-mongodb-sink`. */
  get storeName(): string {
    return `${this.name}-mongodb-sink`;
  }

  /** Resolves the target collection (calls the function form). */
  collection(): Collection<Document> {
    const c =
      typeof this.collectionSource === 'function' && !isCollection(this.collectionSource)
        ? this.collectionSource()
        : this.collectionSource;
    if (!isCollection(c))
      throw new MongoSinkConfigError(
        'collection',
        'the collection function did not return a mongodb Collection',
      );
    return c;
  }
}

function defaultDocument(record: Record<unknown, unknown>): Document {
  return { key: record.key, value: record.value, timestamp: new Date(record.timestamp) };
}
