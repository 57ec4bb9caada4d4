import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCode } from '../src/protocol/error-codes';
import { exited, startCliBroker, type CliBroker } from './helpers/cli-broker';
import { RawClient } from './helpers/raw-client';
import { buildBatch, produceBody, readProduceV3 } from './helpers/record-batch-builder';

const batchOf = (valueBytes: number, key: string) =>
  buildBatch({ records: [{ key, value: key.repeat(valueBytes) }] });

/**
 * A Produce the disk refuses (here: past a file-size limit set on the broker process, which fails
 * the write with EFBIG as a full disk fails it with ENOSPC) is answered KAFKA_STORAGE_ERROR, as
 * Kafka answers it (retriable), on a connection that stays open; once the write fits, the log goes
 * on from where it was.
 */
describe('a Produce the disk refuses', () => {
  let dir: string;
  let broker: CliBroker | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-error-'))));
  afterEach(async () => {
    if (broker) {
      broker.process.kill('SIGKILL');
      await exited(broker.process);
      broker = undefined;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is answered KAFKA_STORAGE_ERROR on an open connection, and the next append that fits succeeds', async () => {
    broker = await startCliBroker(['--port', '0', '--data-dir', dir]);
    const client = await RawClient.connect(broker.bootstrap);
    try {
      // Metadata v1 auto-creates the topic.
      await client.request(3, 1, (e) => e.writeArray(['full'], (x, t) => x.writeString(t)));
      const small = batchOf(100, 'a');
      expect(readProduceV3(await client.request(0, 3, produceBody('full', 0, small)))).toEqual({
        errorCode: 0,
        baseOffset: 0,
      });
      // Files of the broker may not grow past 64 KiB from now on.
      execFileSync('prlimit', ['--pid', String(broker.process.pid), '--fsize=65536']);
      const large = batchOf(100 * 1024, 'b');
      expect(readProduceV3(await client.request(0, 3, produceBody('full', 0, large)))).toEqual({
        errorCode: ErrorCode.KAFKA_STORAGE_ERROR,
        baseOffset: -1,
      });
      expect(readProduceV3(await client.request(0, 3, produceBody('full', 0, small)))).toEqual({
        errorCode: 0,
        baseOffset: 1,
      });
      expect(broker.stderr()).toMatch(/writing to full-0 failed/);
    } finally {
      client.close();
    }
  });
});
