/**
 * Transactions with librdkafka clients over TCP: python3-confluent-kafka's
 * transactional producer (consume-transform-produce committing offsets with the
 * consumer's group metadata, KIP-447, then an aborted transaction), read back by
 * kcat with `isolation.level=read_committed` (committed records only) and
 * `read_uncommitted` (everything).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { EmbeddedKafka } from '../../src';
import { kafkaFor, tempDir } from '../helpers/broker';
import { kcatConsume } from '../helpers/kcat';

jest.setTimeout(120000);
const run = promisify(execFile);

let broker: EmbeddedKafka;
let kafka: Kafka;

beforeAll(async () => {
  broker = await EmbeddedKafka.start({
    port: 0,
    dataDir: tempDir('ek-txn-py-'),
    groupInitialRebalanceDelayMs: 0,
  });
  kafka = kafkaFor(broker.bootstrapServers, 'txn-interop');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: 'py-in', numPartitions: 2 },
      { topic: 'py-out', numPartitions: 1 },
    ],
  });
  await admin.disconnect();
});

afterAll(async () => {
  await broker.stop();
});

describe('librdkafka transactions', () => {
  it('python3-confluent-kafka commits output and group offsets in one transaction; kcat read_committed sees only committed data', async () => {
    const script = path.join(__dirname, 'confluent_transactions.py');
    const { stdout } = await run(
      '/usr/bin/python3',
      [script, broker.bootstrapServers, 'py-in', 'py-out', 'py-eos', '20'],
      {
        timeout: 100_000,
      },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      consumed: number;
      committed: Record<string, number>;
    };
    expect(result.consumed).toBe(20);
    const expected = Array.from({ length: 20 }, (_, i) => `out-in-${i}`).sort();

    const committed = await kcatConsume(broker.bootstrapServers, 'py-out', '%s\\n', [
      '-X',
      'isolation.level=read_committed',
    ]);
    expect(committed.sort()).toEqual(expected);
    const uncommitted = await kcatConsume(broker.bootstrapServers, 'py-out', '%s\\n', [
      '-X',
      'isolation.level=read_uncommitted',
    ]);
    expect(uncommitted.sort()).toEqual(
      [...expected, ...Array.from({ length: 5 }, (_, i) => `aborted-${i}`)].sort(),
    );

    // The group's offsets were committed by the transaction: the input's end offsets.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets('py-in');
    const offsets = (await admin.fetchOffsets({ groupId: 'py-eos', topics: ['py-in'] }))[0]!.partitions;
    expect(offsets.map((p) => [p.partition, Number(p.offset)]).sort()).toEqual(
      ends.map((p) => [p.partition, Number(p.high)]).sort(),
    );
    await admin.disconnect();
  });
});
