import * as fs from 'node:fs';
import { EmbeddedKafka } from '../src';
import { kafkaFor, tempDir } from './helpers/broker';
import { readLines } from './helpers/read-lines';

describe('log cleaner', () => {
  const dataDir = tempDir('ek-compaction-');
  let broker: EmbeddedKafka | undefined;

  afterAll(async () => {
    await broker?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('compaction leaves exactly the latest value per key, drops old tombstones, and survives a restart', async () => {
    broker = await EmbeddedKafka.start({ port: 0, dataDir, logCleanerIntervalMs: 3600000 });
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'changelog',
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '1024' },
            { name: 'delete.retention.ms', value: '0' },
          ],
        },
      ],
    });
    await admin.disconnect();
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    const latest = new Map<string, string>();
    for (let round = 0; round < 10; round++) {
      for (let k = 0; k < 8; k++) {
        const value = `value-${k}-${round}`;
        await producer.send({ topic: 'changelog', messages: [{ key: `key-${k}`, value }] });
        latest.set(`key-${k}`, value);
      }
    }
    // Delete key-0 with a tombstone.
    await producer.send({ topic: 'changelog', messages: [{ key: 'key-0', value: null }] });
    latest.delete('key-0');
    const log = broker.logManager.partition('changelog', 0)!;
    expect(log.segmentList().length).toBeGreaterThan(2);
    // Everything so far into closed segments; the active segment (never cleaned) gets one record.
    log.roll();
    await producer.send({ topic: 'changelog', messages: [{ key: 'marker', value: 'last' }] });
    latest.set('marker', 'last');
    await producer.disconnect();
    const before = await readLines(broker.bootstrapServers, 'changelog', '%k=%s@%o\\n', ['-Z']);
    expect(before).toHaveLength(82);

    const removed = broker.runLogCleaner();
    expect(removed).toBe(82 - latest.size);
    const after = await readLines(broker.bootstrapServers, 'changelog', '%k=%s@%o\\n', ['-Z']);
    const expected = [...latest.entries()].map(([k, v]) => `${k}=${v}`).sort();
    expect(after.map((l) => l.replace(/@\d+$/, '')).sort()).toEqual(expected);
    // Offsets are the original ones.
    for (const line of after) expect(before).toContain(line);

    await broker.stop();
    broker = await EmbeddedKafka.start({
      port: 0,
      dataDir,
      logCleanerIntervalMs: 3600000,
      groupInitialRebalanceDelayMs: 0,
    });
    const reopened = await readLines(broker.bootstrapServers, 'changelog', '%k=%s@%o\\n', ['-Z']);
    expect(reopened).toEqual(after);
    // New writes continue after the old end.
    const p2 = kafkaFor(broker.bootstrapServers).producer();
    await p2.connect();
    const [res] = await p2.send({ topic: 'changelog', messages: [{ key: 'key-1', value: 'newest' }] });
    await p2.disconnect();
    expect(res!.baseOffset).toBe('82');

    // kafkajs reads the compacted log (gaps between batches) and then new records.
    const consumer = kafkaFor(broker.bootstrapServers).consumer({
      groupId: 'compacted-reader',
      maxWaitTimeInMs: 100,
    });
    const seen: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'changelog', fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(`${message.key}=${message.value}`);
            if (seen.length === after.length + 1) resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    expect(seen.slice(0, -1).sort()).toEqual(expected);
    expect(seen[seen.length - 1]).toBe('key-1=newest');
  });

  it('retention.bytes deletes whole old segments and moves the log start', async () => {
    broker ??= await EmbeddedKafka.start({ port: 0, dataDir });
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'short-lived',
          configEntries: [
            { name: 'segment.bytes', value: '1024' },
            { name: 'retention.bytes', value: '2048' },
          ],
        },
      ],
    });
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    for (let i = 0; i < 60; i++)
      await producer.send({ topic: 'short-lived', messages: [{ key: `k${i}`, value: 'x'.repeat(100) }] });
    await producer.disconnect();
    broker.runLogCleaner();
    const [offsets] = await admin.fetchTopicOffsets('short-lived');
    await admin.disconnect();
    expect(Number(offsets!.high)).toBe(60);
    expect(Number(offsets!.low)).toBeGreaterThan(0);
    const log = broker.logManager.partition('short-lived', 0)!;
    expect(log.sizeInBytes - log.segmentList()[0]!.size).toBeLessThan(2048);
    const remaining = await readLines(broker.bootstrapServers, 'short-lived', '%k\\n');
    expect(remaining[0]).toBe(`k${offsets!.low}`);
    expect(remaining[remaining.length - 1]).toBe('k59');
  });

  it('retention.ms deletes segments whose newest record is older than the limit', async () => {
    broker ??= await EmbeddedKafka.start({ port: 0, dataDir });
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'aging',
          configEntries: [
            { name: 'segment.bytes', value: '1024' },
            { name: 'retention.ms', value: '60000' },
          ],
        },
      ],
    });
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    const hourAgo = String(Date.now() - 3600000);
    for (let i = 0; i < 20; i++)
      await producer.send({
        topic: 'aging',
        messages: [{ key: `old${i}`, value: 'x'.repeat(100), timestamp: hourAgo }],
      });
    for (let i = 0; i < 3; i++)
      await producer.send({ topic: 'aging', messages: [{ key: `new${i}`, value: 'y' }] });
    await producer.disconnect();
    broker.runLogCleaner();
    const [offsets] = await admin.fetchTopicOffsets('aging');
    await admin.disconnect();
    expect(Number(offsets!.high)).toBe(23);
    const remaining = await readLines(broker.bootstrapServers, 'aging', '%k\\n');
    // Every old segment is gone; what is left starts at the segment holding the fresh records.
    expect(remaining.filter((k) => k.startsWith('new'))).toEqual(['new0', 'new1', 'new2']);
    expect(remaining.length).toBeLessThan(23);
    expect(remaining[0]).toBe(
      `${Number(offsets!.low) < 20 ? 'old' + offsets!.low : 'new' + (Number(offsets!.low) - 20)}`,
    );
  });
});
