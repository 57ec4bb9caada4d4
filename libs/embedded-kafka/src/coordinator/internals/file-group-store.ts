import { KafkaBrokerError } from '../../errors/kafka-broker-error';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { crc32c } from '@node-rs/crc32';
import type { FsyncPolicy } from '../../broker/broker-config';
import {
  type GroupLogRecord,
  type StoredGroup,
  applyRecord,
  parseRecord,
  snapshotRecords,
} from './group-log-record';
import type { GroupStore } from './group-store';

const fdatasync = promisify(fs.fdatasync);
const HEADER = 8; // uint32 payload length + uint32 CRC-32C of the payload
const MAX_RECORD = 16 * 1024 * 1024;
const LOG_FILE = 'group-metadata.log';

/** Options of {@link FileGroupStore}. */
export interface FileGroupStoreOptions {
  /** Directory of the log (created if missing). */
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  /** Compact when the file holds more than this many records and over twice the live ones. */
  readonly compactionMinRecords?: number;
  /** Told about a torn or corrupt tail that was cut off on load. */
  readonly onWarning?: (message: string) => void;
}

/**
 * Append-only, CRC-checked log of group records in one file, replayed on start.
 *
 * Each record is `[length u32][crc32c u32][JSON]`. Appends are written with a
 * synchronous `write(2)` before the caller is answered, so an acknowledged
 * commit is in the OS page cache and survives `kill -9`; with the `always`
 * fsync policy it is also fdatasync'ed (concurrent appends share one sync) and
 * so survives power loss. A torn or corrupt tail (crash mid-write) is truncated
 * on load. When the file holds mostly superseded records it is rewritten with
 * only the live ones (write to a temp file, fsync, rename, fsync the directory).
 */
export class FileGroupStore implements GroupStore {
  private readonly file: string;
  private fd = -1;
  private size = 0;
  private recordsInFile = 0;
  private readonly live = new Map<string, StoredGroup>();
  private syncing: Promise<void> | null = null;
  private dirty = false;
  private intervalTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly compactionMinRecords: number;

  constructor(private readonly options: FileGroupStoreOptions) {
    this.file = path.join(options.dir, LOG_FILE);
    this.compactionMinRecords = options.compactionMinRecords ?? 10_000;
  }

  load(): Map<string, StoredGroup> {
    fs.mkdirSync(this.options.dir, { recursive: true });
    fs.rmSync(`${this.file}.compacting`, { force: true });
    const data = fs.existsSync(this.file) ? fs.readFileSync(this.file) : Buffer.alloc(0);
    let pos = 0;
    while (pos < data.length) {
      const record = this.readRecord(data, pos);
      if (record === null) {
        this.options.onWarning?.(
          `group metadata log ${this.file}: corrupt or torn record at byte ${pos}, truncating ${data.length - pos} bytes`,
        );
        break;
      }
      applyRecord(this.live, record.value);
      this.recordsInFile++;
      pos = record.next;
    }
    this.fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w+');
    if (pos < data.length) {
      fs.ftruncateSync(this.fd, pos);
      fs.fsyncSync(this.fd);
    }
    this.size = pos;
    if (this.shouldCompact()) this.compact();
    const policy = this.options.fsync;
    if (typeof policy === 'object') {
      const warn = (err: Error) => this.options.onWarning?.(`fsync of ${this.file} failed: ${err.message}`);
      this.intervalTimer = setInterval(() => void this.sync().catch(warn), policy.intervalMs);
      this.intervalTimer.unref();
    }
    return cloneGroups(this.live);
  }

  write(records: readonly GroupLogRecord[]): void {
    if (this.closed) throw new KafkaBrokerError('group metadata log is closed');
    if (records.length === 0) return;
    const frames = records.map(encodeRecord);
    const buf = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    let written = 0;
    while (written < buf.length)
      written += fs.writeSync(this.fd, buf, written, buf.length - written, this.size + written);
    this.size += buf.length;
    this.recordsInFile += records.length;
    for (const r of records) applyRecord(this.live, r);
    this.dirty = true;
    if (this.shouldCompact()) this.compact();
  }

  async flush(): Promise<void> {
    if (this.options.fsync === 'always') await this.sync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    if (this.fd >= 0) {
      if (this.options.fsync !== 'never') await this.sync();
      while (this.syncing) await this.syncing;
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** fdatasync's what has been written; concurrent callers share one sync. */
  private async sync(): Promise<void> {
    while (this.syncing) await this.syncing;
    if (!this.dirty || this.fd < 0) return;
    this.dirty = false;
    const fd = this.fd;
    this.syncing = fdatasync(fd).finally(() => {
      this.syncing = null;
    });
    await this.syncing;
  }

  private shouldCompact(): boolean {
    if (this.recordsInFile <= this.compactionMinRecords) return false;
    let liveRecords = 0;
    for (const g of this.live.values()) liveRecords += 1 + g.offsets.size;
    return this.recordsInFile > 2 * liveRecords;
  }

  /** Rewrites the file with only the live records (synchronous, so no append interleaves). */
  private compact(): void {
    const records = snapshotRecords(this.live);
    const buf = Buffer.concat(records.map(encodeRecord));
    const tmp = `${this.file}.compacting`;
    const tmpFd = fs.openSync(tmp, 'w');
    try {
      let written = 0;
      while (written < buf.length)
        written += fs.writeSync(tmpFd, buf, written, buf.length - written, written);
      fs.fsyncSync(tmpFd);
    } catch (err) {
      fs.closeSync(tmpFd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.renameSync(tmp, this.file);
    fsyncDir(this.options.dir);
    const oldFd = this.fd;
    this.fd = tmpFd;
    this.size = buf.length;
    this.recordsInFile = records.length;
    this.dirty = false;
    // An fdatasync may still be running on the old descriptor: close it afterwards.
    const pending = this.syncing ?? Promise.resolve();
    void pending.finally(() => fs.closeSync(oldFd));
  }

  private readRecord(data: Buffer, pos: number): { value: GroupLogRecord; next: number } | null {
    if (data.length - pos < HEADER) return null;
    const length = data.readUInt32BE(pos);
    const crc = data.readUInt32BE(pos + 4);
    if (length > MAX_RECORD || pos + HEADER + length > data.length) return null;
    const payload = data.subarray(pos + HEADER, pos + HEADER + length);
    if (crc32c(payload) >>> 0 !== crc) return null;
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch {
      return null;
    }
    const record = parseRecord(value);
    return record === null ? null : { value: record, next: pos + HEADER + length };
  }
}

function encodeRecord(record: GroupLogRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32c(payload) >>> 0, 4);
  payload.copy(frame, HEADER);
  return frame;
}

function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

function cloneGroups(groups: Map<string, StoredGroup>): Map<string, StoredGroup> {
  const out = new Map<string, StoredGroup>();
  for (const [id, g] of groups)
    out.set(id, { generationId: g.generationId, protocolType: g.protocolType, offsets: new Map(g.offsets) });
  return out;
}
