/**
 * Run as a child process under a file-size limit (`prlimit --fsize=<bytes>`: a write past it fails
 * with EFBIG after writing what fits, as a filling disk fails with ENOSPC; Node ignores SIGXFSZ).
 * Appends the record sets given as hex on the command line (each an argument: one Produce) to
 * partition log `dir` (segments of `SEGMENT_BYTES` when set), and prints two JSON lines per append:
 * its result or the error's code, then the first segment's file size and size.
 */
import * as fs from 'node:fs';
import { PartitionLog } from '../../src/log/partition-log';
import { TopicConfig } from '../../src/log/topic-config';

const [dir, ...batches] = process.argv.slice(2);
const segmentBytes = process.env['SEGMENT_BYTES'];
const config = TopicConfig.resolve({}, segmentBytes ? { 'segment.bytes': segmentBytes } : {});
const log = PartitionLog.open('t', 0, dir!, config, { fsyncAlways: false, cacheBytes: 0 });
for (const hex of batches) {
  try {
    const r = log.append(Buffer.from(hex, 'hex'), Date.now());
    process.stdout.write(`${JSON.stringify({ errorCode: r.errorCode, baseOffset: r.baseOffset })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ error: (e as NodeJS.ErrnoException).code ?? String(e) })}\n`);
  }
  const seg = log.segmentList()[0]!;
  process.stdout.write(`${JSON.stringify({ fileSize: fs.statSync(seg.logPath).size, size: seg.size })}\n`);
}
log.close();
