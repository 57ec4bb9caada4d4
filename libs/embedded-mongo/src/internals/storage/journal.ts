import * as fs from 'node:fs';
import * as path from 'node:path';
import { BSON } from 'bson';
import { CommandError, StorageError } from '../../errors/embedded-mongo-error';
import { ErrorCode } from '../../errors/error-codes';
import { MongoLogger } from '../../logger';
import { Doc } from './document-paths';

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** A record wraps the document in `{ p: ... }`: a few bytes over the document limit. */
const MAX_RECORD_BYTES = MAX_DOCUMENT_BYTES + 16;

/**
 * One record of a collection journal. Exactly one of the fields is set:
 * `c` collection created (options), `i` index created (spec), `x` index dropped (name),
 * `p` document put (insert or full new version), `d` document deleted (its `_id`).
 */
export type JournalRecord = { c: Doc } | { i: Doc } | { x: string } | { p: Doc } | { d: unknown };

/** Result of reading a journal file back. */
export interface JournalContents {
  readonly records: Doc[];
  /** Bytes dropped at the end because the last record was torn (a crash mid-write). */
  readonly truncatedBytes: number;
}

/**
 * The append-only BSON journal of one collection: a sequence of BSON documents
 * (self-delimiting by their int32 length). Records are buffered while a command runs and written
 * with one `write` before the command is acknowledged; {@link compact} rewrites the file with
 * only the live state (a snapshot) through a temp file and an atomic rename.
 */
export class CollectionJournal {
  private fd: number;
  private pending: Uint8Array[] = [];
  private dirty = false;
  /** Bytes in the file. */
  private size: number;
  /** Records in the file (plus pending ones), used to decide when to compact. */
  records = 0;

  constructor(
    readonly file: string,
    private readonly logger: MongoLogger,
  ) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      this.fd = fs.openSync(file, 'a');
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      throw new StorageError(`cannot open journal ${file}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Reads a journal, truncating a torn last record. */
  static read(file: string, logger: MongoLogger): JournalContents {
    const buf = fs.readFileSync(file);
    const records: Doc[] = [];
    let offset = 0;
    while (offset < buf.length) {
      const remaining = buf.length - offset;
      const size = remaining >= 4 ? buf.readInt32LE(offset) : -1;
      if (size < 5 || size > remaining) break;
      try {
        records.push(BSON.deserialize(buf.subarray(offset, offset + size)) as Doc);
      } catch {
        break;
      }
      offset += size;
    }
    const truncatedBytes = buf.length - offset;
    if (truncatedBytes > 0) {
      logger.warn(`journal ${file}: dropping ${truncatedBytes} bytes of a torn record at offset ${offset}`);
      fs.truncateSync(file, offset);
    }
    return { records, truncatedBytes };
  }

  /** Queues a record; it reaches the file on the next {@link flush}. */
  append(record: JournalRecord): void {
    let bytes: Uint8Array;
    try {
      bytes = BSON.serialize(record);
    } catch (e) {
      throw new CommandError(
        ErrorCode.BSONObjectTooLarge,
        'BSONObjectTooLarge',
        `document cannot be stored: ${(e as Error).message}`,
        { cause: e },
      );
    }
    if (bytes.length > MAX_RECORD_BYTES) {
      throw new CommandError(
        ErrorCode.BSONObjectTooLarge,
        'BSONObjectTooLarge',
        `object to insert too large. size in bytes: ${bytes.length}, max size: ${MAX_DOCUMENT_BYTES}`,
      );
    }
    this.pending.push(bytes);
    this.records++;
  }

  /** True when records are waiting for {@link flush}. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Writes queued records with one write call; fsyncs when `sync` is true. When the write fails
   * (disk full, I/O error) the file is cut back to its previous end, so a half-written record
   * never sits in the middle of the journal, and the records stay queued.
   */
  flush(sync: boolean): void {
    if (this.pending.length > 0) {
      const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      let written = 0;
      try {
        while (written < data.length) written += fs.writeSync(this.fd, data, written, data.length - written);
      } catch (e) {
        try {
          fs.ftruncateSync(this.fd, this.size);
        } catch {
          // the torn tail is cut off on the next load
        }
        throw new StorageError(`write to journal ${this.file} failed: ${(e as Error).message}`, { cause: e });
      }
      this.size += data.length;
      this.pending = [];
      this.dirty = true;
    }
    if (sync) this.sync();
  }

  /** fsyncs the file when it has unsynced writes. */
  sync(): void {
    if (!this.dirty) return;
    fs.fsyncSync(this.fd);
    this.dirty = false;
  }

  /** Replaces the file with `records` (the collection's live state), atomically. */
  compact(records: Iterable<JournalRecord>): void {
    this.flush(false);
    const tmp = this.file + '.compact';
    const fd = fs.openSync(tmp, 'w');
    let count = 0;
    try {
      let chunk: Uint8Array[] = [];
      let chunkBytes = 0;
      const writeChunk = (): void => {
        const data = Buffer.concat(chunk);
        let written = 0;
        while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
        chunk = [];
        chunkBytes = 0;
      };
      for (const record of records) {
        const b = BSON.serialize(record);
        chunk.push(b);
        chunkBytes += b.length;
        count++;
        if (chunkBytes > 4 * 1024 * 1024) writeChunk();
      }
      writeChunk();
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    syncDir(path.dirname(this.file));
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a');
    this.size = fs.fstatSync(this.fd).size;
    this.dirty = false;
    this.logger.debug(`journal ${this.file}: compacted to ${count} records`);
    this.records = count;
  }

  /** Flushes and closes the file. */
  close(sync: boolean): void {
    try {
      this.flush(sync);
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /** Closes and deletes the file (collection dropped). */
  remove(): void {
    this.pending = [];
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
  }
}

/** fsyncs a directory so a rename or unlink in it is durable (best effort on platforms without it). */
export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not supported everywhere (e.g. Windows); the rename itself is still atomic
  }
}
