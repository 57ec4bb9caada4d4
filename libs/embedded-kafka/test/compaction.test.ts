import * as fs from 'node:fs';
import { EmbeddedKafka } from '../src';
import { kafkaFor, tempDir } from './helpers/broker';
import { kcatConsume } from './helpers/kcat';

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
    await producer.disconnect();
    const log = broker.logManager.partition('changelog', 0)!;
    expect(log.segmentList().length).toBeGreaterThan(2);
    log.roll(); // everything into closed segments, so the cleaner may touch all of it
    const before = await kcatConsume(broker.bootstrapServers, 'changelog', '%k=%s@%o\\n', ['-Z']);
    expect(before).toHaveLength(81);

    const removed = broker.runLogCleaner();
    expect(removed).toBe(81 - latest.size);
    const after = await kcatConsume(broker.bootstrapServers, 'changelog', '%k=%s@%o\\n', ['-Z']);
    const expected = [...latest.entries()].map(([k, v]) => `${k}=${v}`).sort();
    expect(after.map((l) => l.replace(/@\d+$/, '')).sort()).toEqual(expected);
    // Offsets are the original ones.
    for (const line of after) expect(before).toContain(line);

    await broker.stop();
    broker = await EmbeddedKafka.start({ port: 0, dataDir, logCleanerIntervalMs: 3600000 });
    const reopened = await kcatConsume(broker.bootstrapServers, 'changelog', '%k=%s@%o\\n', ['-Z']);
    expect(reopened).toEqual(after);
    // New writes continue after the old end.
    const p2 = kafkaFor(broker.bootstrapServers).producer();
    await p2.connect();
    const [res] = await p2.send({ topic: 'changelog', messages: [{ key: 'key-1', value: 'newest' }] });
    await p2.disconnect();
    expect(res!.baseOffset).toBe('81');
  });

  it('retention.bytes deletes whole old segments and moves the log start', async () => {
    broker ??= await EmbeddedKafka.start({ port: 0, dataDir });
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'short-lived', configEntries: [{ name: 'segment.bytes', value: '1024' }, { name: 'retention.bytes', value: '2048' }] }],
    });
    const producer = kafkaFor(broker.bootstrapServers).producer();
    await producer.connect();
    for (let i = 0; i < 60; i++) await producer.send({ topic: 'short-lived', messages: [{ key: `k${i}`, value: 'x'.repeat(100) }] });
    await producer.disconnect();
    broker.runLogCleaner();
    const [offsets] = await admin.fetchTopicOffsets('short-lived');
    await admin.disconnect();
    expect(Number(offsets!.high)).toBe(60);
    expect(Number(offsets!.low)).toBeGreaterThan(0);
    const log = broker.logManager.partition('short-lived', 0)!;
    expect(log.sizeInBytes - log.segmentList()[0]!.size).toBeLessThan(2048);
    const remaining = await kcatConsume(broker.bootstrapServers, 'short-lived', '%k\\n');
    expect(remaining[0]).toBe(`k${offsets!.low}`);
    expect(remaining[remaining.length - 1]).toBe('k59');
  });
});
