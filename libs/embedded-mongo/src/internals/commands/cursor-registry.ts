import { BSON, Long } from 'bson';
import { commandError } from '../../errors/error-codes';
import { Doc } from '../storage/document-paths';

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 15 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  readonly ns: string;
  readonly docs: Doc[];
  position: number;
  lastUsed: number;
}

/**
 * Open cursors: the result of a find or aggregate kept as a snapshot array and handed out in
 * batches by `getMore`. Ids are positive int64s; cursors idle for 10 minutes are dropped.
 */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1;

  /** Number of open cursors. */
  get size(): number {
    return this.cursors.size;
  }

  /**
   * Builds the `cursor` field of a find/aggregate reply: the first batch, and an id for the rest
   * (0 when everything fit or `singleBatch`).
   */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    this.expire();
    const batch = takeBatch(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (!singleBatch && batch.length < docs.length) {
      id = this.nextId++;
      this.cursors.set(id, { ns, docs, position: batch.length, lastUsed: Date.now() });
    }
    return { cursor: { firstBatch: batch, id: Long.fromNumber(id), ns } };
  }

  /** Answers `getMore`. */
  getMore(rawId: unknown, ns: string, batchSize: number | undefined): Doc {
    const id = toId(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw commandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns)
      throw commandError('Unauthorized', `cursor id ${id} belongs to ${cursor.ns}, not ${ns}`);
    const batch = takeBatch(cursor.docs, cursor.position, batchSize ?? 0);
    cursor.position += batch.length;
    cursor.lastUsed = Date.now();
    let replyId = id;
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      replyId = 0;
    }
    return { cursor: { nextBatch: batch, id: Long.fromNumber(replyId), ns } };
  }

  /** Answers `killCursors`. */
  kill(ids: unknown[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = toId(raw);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  /** Drops every cursor. */
  clear(): void {
    this.cursors.clear();
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, cursor] of this.cursors)
      if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }
}

function toId(raw: unknown): number {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (raw instanceof Long) return raw.toNumber();
  if (typeof raw === 'bigint') return Number(raw);
  throw commandError('TypeMismatch', 'cursor id must be an integer (int64)');
}

/** Up to `size` documents (0 = no count limit) from `start`, at most ~15 MiB of BSON. */
function takeBatch(docs: Doc[], start: number, size: number): Doc[] {
  const end = size > 0 ? Math.min(docs.length, start + size) : docs.length;
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = start; i < end; i++) {
    bytes += BSON.calculateObjectSize(docs[i]);
    if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
    out.push(docs[i]);
  }
  return out;
}
