import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTransactionMetadata, type TransactionMetadata } from './transaction-state';

/**
 * The transaction coordinator's durable state (the role `__transaction_state`
 * plays in Kafka): one JSON line per state change of a transactional id, the
 * last line per id winning. Lines are appended with a synchronous write before
 * a request is answered (so they survive `kill -9`), fsynced when the broker's
 * fsync policy is `always`; the file is rewritten (atomic rename) when it holds
 * many superseded lines. A torn last line is ignored on load. A write the disk
 * refuses part-way (ENOSPC, EFBIG) is cut back and throws, so the file never holds
 * a partial line that a later line would be appended to; a rewrite the disk
 * refuses leaves the file as it was.
 */
export class TransactionLog {
  private readonly file: string;
  private fd: number | undefined;
  private lines = 0;

  constructor(
    dir: string,
    private readonly fsyncAlways: boolean,
    private readonly onWarning: (message: string) => void,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'transactions.log');
  }

  /** Replays the log: the latest metadata per transactional id. */
  load(): Map<string, TransactionMetadata> {
    const out = new Map<string, TransactionMetadata>();
    if (!fs.existsSync(this.file)) return out;
    const text = fs.readFileSync(this.file, 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      let parsed: TransactionMetadata | null = null;
      try {
        parsed = parseTransactionMetadata(JSON.parse(line));
      } catch {
        parsed = null;
      }
      if (!parsed) {
        this.onWarning(`transaction log ${this.file}: ignoring unreadable line ${i + 1}`);
        continue;
      }
      out.set(parsed.transactionalId, parsed);
      this.lines++;
    }
    this.rewrite([...out.values()]);
    return out;
  }

  /** Appends the current metadata of one transactional id. */
  write(meta: TransactionMetadata): void {
    const fd = (this.fd ??= fs.openSync(this.file, 'a'));
    const line = Buffer.from(`${JSON.stringify(meta)}\n`);
    let written = 0;
    try {
      // A full disk can take part of a write (a short count) and refuse the rest (the next call throws).
      while (written < line.length) written += fs.writeSync(fd, line, written, line.length - written);
    } catch (err) {
      if (written > 0) fs.ftruncateSync(fd, fs.fstatSync(fd).size - written);
      throw err;
    }
    if (this.fsyncAlways) fs.fdatasyncSync(fd);
    this.lines++;
  }

  /** Rewrites the file to `all` when it holds many superseded lines. */
  maybeCompact(all: readonly TransactionMetadata[]): void {
    if (this.lines > 1000 && this.lines > 4 * all.length) this.rewrite(all);
  }

  private rewrite(all: readonly TransactionMetadata[]): void {
    this.close();
    const tmp = `${this.file}.tmp`;
    const data = Buffer.from(all.map((m) => `${JSON.stringify(m)}\n`).join(''));
    const fd = fs.openSync(tmp, 'w');
    try {
      let written = 0;
      while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
      fs.fsyncSync(fd);
    } catch (err) {
      // The file stays as it was (every line in it whole); the next rewrite tries again.
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      this.onWarning(`rewriting transaction log ${this.file} failed: ${(err as Error).message}`);
      return;
    }
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
    this.lines = all.length;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
