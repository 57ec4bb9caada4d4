/**
 * Run as a child process under a file-size limit (`prlimit --fsize=<bytes>`: a write past it fails
 * with EFBIG after writing what fits, as a filling disk fails with ENOSPC; Node ignores SIGXFSZ).
 * Writes the transaction metadata given as JSON on the command line (one argument each) to the
 * transaction log in `dir`, and prints two JSON lines per write: `ok` or the error's code, then the
 * log file's size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TransactionLog } from '../../src/transaction/transaction-log';

const [dir, ...metas] = process.argv.slice(2);
const log = new TransactionLog(dir!, false, (m) => process.stderr.write(`${m}\n`));
for (const json of metas) {
  try {
    log.write(JSON.parse(json));
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ error: (e as NodeJS.ErrnoException).code ?? String(e) })}\n`);
  }
  process.stdout.write(
    `${JSON.stringify({ fileSize: fs.statSync(path.join(dir!, 'transactions.log')).size })}\n`,
  );
}
log.close();
