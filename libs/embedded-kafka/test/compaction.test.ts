import * as fs from 'node:fs';
import { EmbeddedKafka } from '../src';
import { kafkaFor, tempDir } from './helpers/broker';
import { readLines } from './helpers/read-lines';

/**
 * Bytes of a one-record, uncompressed v2 record batch as kafkajs sends it (one batch per send, no
 * headers): the 61-byte batch header, then the record (varint length, attributes, timestamp and
 * offset deltas 0, key, value, header count), lengths as zigzag varints.
 */
function batchBytes(key: string, value: string): number {
  const varint = (n: number): number => {
    let z = (n << 1) ^ (n >> 31);
    let len = 1;
    while (z >= 0x80) {
      z >>>= 7;
      len++;
    }
    return len;
  };
  const k = Buffer.byteLength(key);
  const v = Buffer.byteLength(value);
  const body = 1 + varint(0) + varint(0) + varint(k) + k + varint(v) + v + varint(0);
  return 61 + varint(body) + body;
}

interface ModelSegment {
  baseOffset: number;
  size: number;
  /** Offsets of its records, in order. */
  offsets: number[];
}

/** Kafka's rolling rule: a batch opens a new segment when the active one is non-empty and the batch would take it past segment.bytes. */
function segmentsOf(batches: number[], segmentBytes: number): ModelSegment[] {
  const segments: ModelSegment[] = [];
  batches.forEach((bytes, offset) => {
    const active = segments[segments.length - 1];
    if (!active || (active.offsets.length > 0 && active.size + bytes > segmentBytes))
      segments.push({ baseOffset: offset, size: bytes, offsets: [offset] });
    else {
      active.size += bytes;
      active.offsets.push(offset);
    }
  });
  return segments;
}

/** Kafka's retention.bytes: the oldest segments go while the log without them is still at least retention.bytes (never the active one). */
function logStartAfterRetentionBytes(segments: ModelSegment[], retentionBytes: number): number {
  let total = segments.reduce((sum, s) => sum + s.size, 0);
  let i = 0;
  while (i < segments.length - 1 && total - segments[i]!.size >= retentionBytes) total -= segments[i++]!.size;
  return segments[i]!.baseOffset;
}

/** Kafka's retention.ms: the oldest segments go while their newest record is older than the limit (never the active one). */
function logStartAfterRetentionMs(segments: ModelSegment[], expired: (offset: number) => boolean): number {
  let i = 0;
  while (i < segments.length - 1 && segments[i]!.offsets.every(expired)) i++;
  return segments[i]!.baseOffset;
}

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
    // The model: 60 batches of 172-173 bytes, five per 1024-byte segment; with 2048 bytes kept the
    // oldest nine segments go, so the log starts at 45 (the test's own arithmetic, not the broker's).
    const model = segmentsOf(
      Array.from({ length: 60 }, (_, i) => batchBytes(`k${i}`, 'x'.repeat(100))),
      1024,
    );
    const expectedStart = logStartAfterRetentionBytes(model, 2048);
    expect(expectedStart).toBe(45);
    expect(Number(offsets!.low)).toBe(expectedStart);
    const log = broker.logManager.partition('short-lived', 0)!;
    expect(log.segmentList().map((seg) => seg.size)).toEqual(
      model.filter((m) => m.baseOffset >= expectedStart).map((m) => m.size),
    );
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
    // The model: old0-old19 (174-175 bytes) five per segment, new0 and new1 (73 bytes) still fit
    // in the segment of old15-old19, new2 opens the next. Segments whose newest record is an hour
    // old go: old0-old14, so the log starts at 15 (the test's own arithmetic, not the broker's).
    const keys = [
      ...Array.from({ length: 20 }, (_, i) => [`old${i}`, 'x'.repeat(100)] as const),
      ...Array.from({ length: 3 }, (_, i) => [`new${i}`, 'y'] as const),
    ];
    const model = segmentsOf(
      keys.map(([k, v]) => batchBytes(k, v)),
      1024,
    );
    const expectedStart = logStartAfterRetentionMs(model, (offset) => offset < 20);
    expect(expectedStart).toBe(15);
    expect(Number(offsets!.low)).toBe(expectedStart);
    expect(remaining).toEqual(keys.slice(expectedStart).map(([k]) => k));
  });
});
