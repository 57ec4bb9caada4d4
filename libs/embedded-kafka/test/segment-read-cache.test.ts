import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka, InvalidConfigError } from '../src';
import { readBatchHeader, writeInt64 } from '../src/log/record-batch';
import { Segment } from '../src/log/segment';
import { SegmentReadCache } from '../src/log/segment-read-cache';
import { brokerPerTest, kafkaFor, readBack } from './helpers/broker';
import { buildBatch } from './helpers/record-batch-builder';
import { seededRandom as rng } from './helpers/seeded-random';

describe('SegmentReadCache', () => {
  it('holds at most its limit in memory while many small appends arrive as views of larger requests', () => {
    const limit = 64 * 1024;
    const cache = new SegmentReadCache(limit);
    const random = rng(7);
    const log: Buffer[] = [];
    let position = 0;
    for (let i = 0; i < 5000; i++) {
      // Each batch is a small slice of a 64 KiB "request" (as Produce batches are).
      const request = Buffer.alloc(16 * 1024, i % 251);
      const size = 60 + Math.floor(random() * 400);
      const at = Math.floor(random() * (request.length - size));
      for (let k = 0; k < size; k++) request[at + k] = Math.floor(random() * 256);
      const batch = request.subarray(at, at + size);
      cache.append(position, batch);
      log.push(Buffer.from(batch));
      position += size;
      // The caller may reuse its buffer: the cache must hold its own copy.
      request.fill(0);
      expect(cache.retainedBytes).toBeLessThanOrEqual(limit);
    }
    const all = Buffer.concat(log);
    expect(cache.cachedBytes).toBeGreaterThan(limit / 2);
    expect(cache.start + cache.cachedBytes).toBe(all.length);
    // Every cached range reads back exactly; anything older is a miss.
    for (let i = 0; i < 500; i++) {
      const from = cache.start + Math.floor(random() * cache.cachedBytes);
      const len = 1 + Math.floor(random() * (all.length - from));
      const got = cache.read(from, len);
      expect(got).toBeDefined();
      expect(Buffer.concat(got!).equals(all.subarray(from, from + len))).toBe(true);
    }
    expect(cache.read(cache.start - 1, 10)).toBeUndefined();
    expect(cache.read(all.length - 5, 10)).toBeUndefined();
  });

  it('keeps one append larger than the limit on its own, then evicts it', () => {
    const cache = new SegmentReadCache(1000);
    const big = Buffer.alloc(5000, 3);
    cache.append(0, big);
    expect(cache.retainedBytes).toBe(5000);
    expect(Buffer.concat(cache.read(0, 5000)!).equals(big)).toBe(true);
    cache.append(5000, Buffer.alloc(10, 4));
    expect(cache.retainedBytes).toBeLessThanOrEqual(1000);
    expect(cache.read(0, 10)).toBeUndefined();
    expect(Buffer.concat(cache.read(5000, 10)!).equals(Buffer.alloc(10, 4))).toBe(true);
  });

  it('restarts at a non-contiguous position and holds nothing with a zero limit', () => {
    const cache = new SegmentReadCache(1024);
    cache.append(0, Buffer.alloc(100, 1));
    cache.append(500, Buffer.alloc(100, 2));
    expect(cache.start).toBe(500);
    expect(cache.read(0, 10)).toBeUndefined();
    const none = new SegmentReadCache(0);
    none.append(0, Buffer.alloc(100, 1));
    expect(none.retainedBytes).toBe(0);
    expect(none.read(0, 10)).toBeUndefined();
  });
});

describe('Segment read cache in a real segment', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segment-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves reads identical to the file while retaining at most the limit', () => {
    const limit = 16 * 1024;
    const seg = Segment.create(dir, 0, limit);
    let offset = 0;
    for (let i = 0; i < 400; i++) {
      const batch = buildBatch({ records: [{ key: null, value: `v${i}`.padEnd(100, '.') }] });
      writeInt64(batch, 0, offset);
      // The batch sits inside a larger buffer, as in a Produce request frame.
      const frame = Buffer.concat([Buffer.alloc(30000), batch, Buffer.alloc(30000)]);
      const view = frame.subarray(30000, 30000 + batch.length);
      seg.append(view, [{ ...readBatchHeader(view, 0), position: 0 }]);
      offset++;
      expect(seg.cacheRetainedBytes).toBeLessThanOrEqual(limit);
    }
    const file = fs.readFileSync(seg.logPath);
    for (const e of seg.entries) {
      expect(
        Buffer.concat(seg.read(e.position, e.size)).equals(file.subarray(e.position, e.position + e.size)),
      ).toBe(true);
    }
    seg.close();
  });
});

describe('partitionCacheBytes (broker option)', () => {
  const startBroker = brokerPerTest();

  it('bounds what every partition holds in memory while clients produce and fetch through it', async () => {
    const limit = 8 * 1024;
    const broker = await startBroker({
      partitionCacheBytes: limit,
      readCacheBudgetBytes: 1024 * 1024, // the cache is off by default
      groupInitialRebalanceDelayMs: 0,
    });
    const kafka = kafkaFor(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'cached', numPartitions: 3 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const sent: string[] = [];
    for (let i = 0; i < 300; i++) {
      const messages = [0, 1, 2].map((p) => ({ partition: p, value: `m${i}-${p}-`.padEnd(120, 'x') }));
      sent.push(...messages.map((m) => m.value));
      await producer.send({ topic: 'cached', messages });
    }
    await producer.disconnect();
    for (let p = 0; p < 3; p++) {
      const segments = broker.logManager.partition('cached', p)!.segmentList();
      const active = segments[segments.length - 1]!;
      expect(active.cacheRetainedBytes).toBeGreaterThan(0);
      expect(active.cacheRetainedBytes).toBeLessThanOrEqual(limit);
    }
    // Everything reads back (old data from the file, recent data from the cache).
    const got = await readBack(kafka, 'cache-reader', ['cached'], sent.length);
    expect(got.map((m) => m.value).sort()).toEqual([...sent].sort());
  });

  it('refuses a negative size', async () => {
    await expect(EmbeddedKafka.start({ partitionCacheBytes: -1 })).rejects.toThrow(InvalidConfigError);
  });
});
