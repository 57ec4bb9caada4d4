import { MongoBulkWriteError, MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { RetryReason } from './mongo-sink-metrics';

/**
 * MongoDB server error codes worth retrying: network and host errors, elections, shutdowns,
 * write conflicts, write-concern failures and the duplicate key an upsert can hit when two
 * upserts of the same new `_id` race (MongoDB's documented advice is to retry it).
 */
const RETRIABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  64, // WriteConcernFailed
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11000, // DuplicateKey (concurrent upserts of the same _id)
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const DUPLICATE_KEY = 11000;

/** A duplicate key on `_id` is an upsert race (retry); on a user's unique index it is permanent. */
function onIdIndex(w: { errmsg?: string; err?: { keyPattern?: object; errmsg?: string } }): boolean {
  const pattern = w.err?.keyPattern;
  if (pattern) return Object.keys(pattern).length === 1 && '_id' in pattern;
  return / index: _id_ /.test(w.errmsg ?? w.err?.errmsg ?? '');
}

/** What to do with a failed `bulkWrite` of `count` operations. */
export type WriteFailure =
  | {
      readonly kind: 'retry';
      readonly reason: RetryReason;
      /** Indexes of the operations to send again. */ readonly indexes: readonly number[];
    }
  | { readonly kind: 'fatal'; readonly codes: readonly number[] };

function codeOf(e: unknown): number | undefined {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'number' ? c : undefined;
}

function isRetriableError(e: unknown): RetryReason | undefined {
  if (e instanceof MongoNetworkError || e instanceof MongoServerSelectionError) return 'network';
  if (e instanceof MongoError) {
    if (
      e.hasErrorLabel('RetryableWriteError') ||
      e.hasErrorLabel('ResetPool') ||
      e.hasErrorLabel('NetworkError')
    )
      return 'network';
    const code = codeOf(e);
    if (code !== undefined && RETRIABLE_CODES.has(code)) return 'server';
    // A pool cleared or a connection closed while the server restarts.
    if (e.name === 'MongoPoolClearedError' || e.name === 'MongoNetworkTimeoutError') return 'network';
  }
  return undefined;
}

function hasWriteConcernError(e: MongoBulkWriteError): boolean {
  return e.err !== undefined || !!(e as { writeConcernError?: unknown }).writeConcernError;
}

/** Classifies the error of an unordered `bulkWrite` of `count` operations. */
export function classifyWriteFailure(e: unknown, count: number): WriteFailure {
  const all = () => Array.from({ length: count }, (_, i) => i);
  if (e instanceof MongoBulkWriteError) {
    const raw = (e as { writeErrors?: unknown }).writeErrors;
    const writeErrors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{
      index: number;
      code: number;
      errmsg?: string;
      err?: { keyPattern?: object; errmsg?: string };
    }>;
    if (writeErrors.length === 0) {
      // Write concern error or a failure of the whole command.
      // The driver wraps the underlying failure (e.g. a MongoServerSelectionError) in `errorResponse`.
      const inner = (e as { errorResponse?: unknown }).errorResponse;
      const reason =
        isRetriableError(e) ??
        (inner instanceof Error ? isRetriableError(inner) : undefined) ??
        (hasWriteConcernError(e) ? 'server' : undefined);
      return reason
        ? { kind: 'retry', reason, indexes: all() }
        : { kind: 'fatal', codes: codeOf(e) !== undefined ? [codeOf(e)!] : [] };
    }
    const fatal = writeErrors.filter(
      (w) => !RETRIABLE_CODES.has(w.code) || (w.code === DUPLICATE_KEY && !onIdIndex(w)),
    );
    if (fatal.length) return { kind: 'fatal', codes: [...new Set(fatal.map((w) => w.code))] };
    const failed = writeErrors.map((w) => w.index).sort((a, b) => a - b);
    // With a write-concern error too, every operation may be undurable: send them all again.
    return { kind: 'retry', reason: 'write_error', indexes: hasWriteConcernError(e) ? all() : failed };
  }
  const reason = isRetriableError(e);
  if (reason) return { kind: 'retry', reason, indexes: all() };
  const code = codeOf(e);
  return { kind: 'fatal', codes: code !== undefined ? [code] : [] };
}
