import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka, InvalidConfigError } from '../src';
import { ReadCacheBudget } from '../src/log/read-cache-budget';
import type { Segment } from '../src/log/segment';
import { SegmentReadCache } from '../src/log/segment-read-cache';
import { brokerPerTest, kafkaFor, readBack } from './helpers/broker';
import { exited, startCliBroker } from './helpers/cli-broker';
import { seededRandom as rng } from './helpers/seeded-random';

/** Every segment of every partition of every topic of `broker`. */
function* everySegment(broker: EmbeddedKafka): Generator<Segment> {
  for (const topic of broker.logManager.topicNames())
    for (let p = 0; p < broker.logManager.topic(topic)!.partitionCount; p++)
      yield* broker.logManager.partition(topic, p)!.segmentList();
}

describe('ReadCacheBudget over many segment caches', () => {
  it('never holds more than the budget, counts exactly what the caches hold, and every hit reads back the log', () => {
    const budgetBytes = 256 * 1024;
    const budget = new ReadCacheBudget(budgetBytes);
    const random = rng(11);
    const caches = Array.from({ length: 300 }, () => new SegmentReadCache(64 * 1024, budget));
    // The model: the last bytes appended to each "segment" (more than a cache can hold), and its end.
    const KEEP = 2 * budgetBytes; // one append up to the budget may be cached alone
    const tails: Buffer[] = caches.map(() => Buffer.alloc(0));
    const ends = caches.map(() => 0);
    for (let op = 0; op < 10000; op++) {
      const i = Math.floor(random() ** 2 * caches.length); // a few hot partitions, many cold ones
      if (random() < 0.7) {
        // Mostly small batches, sometimes one larger than a partition's limit or the whole budget.
        const r = random();
        const size =
          r < 0.995 ? 50 + Math.floor(random() * 2000) : Math.floor(random() * 2 * budgetBytes) + 1;
        const data = Buffer.allocUnsafe(size);
        for (let k = 0; k < size; k += 97) data[k] = Math.floor(random() * 256);
        caches[i]!.append(ends[i]!, data);
        const tail = Buffer.concat([tails[i]!, data]);
        tails[i] = tail.length > KEEP ? Buffer.from(tail.subarray(tail.length - KEEP)) : tail;
        ends[i]! += size;
      } else {
        const c = caches[i]!;
        if (c.isEmpty) continue;
        const tail = tails[i]!;
        const tailStart = ends[i]! - tail.length;
        // The cache holds a suffix of the log, and what it answers equals the log's bytes.
        expect(c.start + c.cachedBytes).toBe(ends[i]);
        expect(c.start).toBeGreaterThanOrEqual(tailStart);
        const from = c.start + Math.floor(random() * c.cachedBytes);
        const len = 1 + Math.floor(random() * (ends[i]! - from));
        const got = c.read(from, len);
        expect(got).toBeDefined();
        expect(Buffer.concat(got!).equals(tail.subarray(from - tailStart, from - tailStart + len))).toBe(
          true,
        );
        if (c.start > 0) expect(c.read(c.start - 1, 2)).toBeUndefined();
      }
      expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
      if (op % 500 === 0) {
        const sum = caches.reduce((a, c) => a + c.retainedBytes, 0);
        expect(budget.heldBytes).toBe(sum);
        expect(budget.cacheCount).toBe(caches.filter((c) => c.retainedBytes > 0).length);
      }
    }
    expect(budget.heldBytes).toBe(caches.reduce((a, c) => a + c.retainedBytes, 0));
    expect(budget.heldBytes).toBeGreaterThan(budgetBytes / 2);
    expect(budget.evictedBytes).toBeGreaterThan(0);
    for (const c of caches) c.clear();
    expect(budget.heldBytes).toBe(0);
    expect(budget.cacheCount).toBe(0);
  });

  it('takes memory from the least recently used cache first (a read counts as a use)', () => {
    const block = 4 * 1024; // a cache's first block
    const budget = new ReadCacheBudget(3 * block);
    const [a, b, c, d] = Array.from({ length: 4 }, () => new SegmentReadCache(1024 * 1024, budget));
    for (const cache of [a, b, c]) cache!.append(0, Buffer.alloc(100, 1));
    expect(budget.heldBytes).toBe(3 * block);
    expect(a!.read(0, 100)).toBeDefined(); // a is now the most recently used; b the least
    d!.append(0, Buffer.alloc(100, 2));
    expect(budget.heldBytes).toBe(3 * block);
    expect(b!.retainedBytes).toBe(0);
    expect(b!.read(0, 100)).toBeUndefined();
    for (const kept of [a, c, d]) expect(kept!.retainedBytes).toBe(block);
    // An append into free room of a block moves its cache up too: c is appended to, so a goes next.
    c!.append(100, Buffer.alloc(100, 3));
    b!.append(0, Buffer.alloc(100, 4));
    expect(a!.retainedBytes).toBe(0);
    expect([b, c, d].map((x) => x!.retainedBytes)).toEqual([block, block, block]);
  });

  it('does not cache an append larger than the whole budget, and a zero budget caches nothing', () => {
    const budget = new ReadCacheBudget(10_000);
    const cache = new SegmentReadCache(1024 * 1024, budget);
    cache.append(0, Buffer.alloc(500, 1));
    expect(cache.retainedBytes).toBeGreaterThan(0);
    cache.append(500, Buffer.alloc(20_000, 2));
    expect(cache.retainedBytes).toBe(0);
    expect(budget.heldBytes).toBe(0);
    expect(cache.read(500, 10)).toBeUndefined();
    // The next append starts a fresh cached range at its own position.
    cache.append(20_500, Buffer.alloc(50, 3));
    expect(Buffer.concat(cache.read(20_500, 50)!).equals(Buffer.alloc(50, 3))).toBe(true);
    const none = new SegmentReadCache(1024, new ReadCacheBudget(0));
    none.append(0, Buffer.alloc(10, 1));
    expect(none.retainedBytes).toBe(0);
    expect(() => new ReadCacheBudget(-1)).toThrow(RangeError);
  });
});

describe('readCacheBudgetBytes (broker option)', () => {
  const startBroker = brokerPerTest();

  it('bounds the memory of every partition together, releases rolled and deleted segments, and fetches return exactly what was produced', async () => {
    const budgetBytes = 96 * 1024;
    const broker = await startBroker({
      readCacheBudgetBytes: budgetBytes,
      groupInitialRebalanceDelayMs: 0,
      metricsPort: 0,
    });
    const budget = broker.logManager.readCacheBudget;
    const kafka = kafkaFor(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    const partitions = 60;
    await admin.createTopics({
      topics: [
        { topic: 'wide', numPartitions: partitions },
        // Small segments: the log rolls often, and a rolled segment must give its cache back.
        { topic: 'rolling', numPartitions: 2, configEntries: [{ name: 'segment.bytes', value: '20000' }] },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    const sent = new Map<string, string[]>();
    const heldOfSegments = () => {
      let n = 0;
      for (const s of everySegment(broker)) n += s.cacheRetainedBytes;
      return n;
    };
    for (let round = 0; round < 40; round++) {
      const messages = Array.from({ length: partitions }, (_, p) => ({
        partition: p,
        value: `w${round}-${p}-`.padEnd(200 + ((round * 31 + p * 17) % 400), 'x'),
      }));
      const rolling = [0, 1].map((p) => ({ partition: p, value: `r${round}-${p}-`.padEnd(1500, 'y') }));
      await producer.sendBatch({
        topicMessages: [
          { topic: 'wide', messages },
          { topic: 'rolling', messages: rolling },
        ],
      });
      for (const m of [
        ...messages.map((x) => ({ ...x, topic: 'wide' })),
        ...rolling.map((x) => ({ ...x, topic: 'rolling' })),
      ]) {
        const key = `${m.topic}-${m.partition}`;
        sent.set(key, [...(sent.get(key) ?? []), m.value]);
      }
      expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
      expect(heldOfSegments()).toBe(budget.heldBytes);
    }
    await producer.disconnect();
    expect(budget.evictedBytes).toBeGreaterThan(0);
    // Rolled segments hold nothing: only the active segment of a partition caches.
    for (let p = 0; p < 2; p++) {
      const segments = broker.logManager.partition('rolling', p)!.segmentList();
      expect(segments.length).toBeGreaterThan(2);
      for (const s of segments.slice(0, -1)) expect(s.cacheRetainedBytes).toBe(0);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${broker.metricsPort}/metrics`)).text();
    expect(metrics).toContain(`kafka_server_read_cache_bytes ${budget.heldBytes}`);
    expect(metrics).toContain(`kafka_server_read_cache_budget_bytes ${budgetBytes}`);
    expect(metrics).toMatch(/kafka_server_read_cache_evicted_bytes_total [1-9]\d*/);
    // The batch indexes: 44 bytes per batch of capacity, over every segment of every partition.
    let indexBytes = 0;
    let batches = 0;
    for (const s of everySegment(broker)) {
      indexBytes += s.entries.retainedBytes;
      batches += s.entries.length;
    }
    expect(batches).toBeGreaterThanOrEqual(40 * (partitions + 2));
    expect(indexBytes).toBeGreaterThanOrEqual(44 * batches);
    expect(metrics).toContain(`kafka_server_batch_index_bytes ${indexBytes}`);

    // Every partition reads back in order, from the cache or the file alike.
    const total = [...sent.values()].reduce((a, v) => a + v.length, 0);
    const got = new Map<string, string[]>();
    await readBack(kafka, 'budget-reader', ['wide', 'rolling'], total, ({ topic, partition, value }) => {
      const key = `${topic}-${partition}`;
      got.set(key, [...(got.get(key) ?? []), value]);
      expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
    });
    expect(new Map([...got].sort())).toEqual(new Map([...sent].sort()));

    // A deleted topic gives its memory back.
    await admin.deleteTopics({ topics: ['wide', 'rolling'] });
    await admin.disconnect();
    expect(budget.heldBytes).toBe(heldOfSegments());
    expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
  });

  it('is off by default: a broker started without a budget holds nothing in memory and serves every fetch from its files', async () => {
    const broker = await startBroker({ groupInitialRebalanceDelayMs: 0, metricsPort: 0 });
    const kafka = kafkaFor(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'uncached', numPartitions: 3 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const sent: string[] = [];
    for (let round = 0; round < 20; round++) {
      // 3 x 40 KiB a request: batches the cache would keep as views of the request when on.
      const messages = [0, 1, 2].map((p) => ({
        partition: p,
        value: `d${round}-${p}-`.padEnd(40 * 1024, 'z'),
      }));
      sent.push(...messages.map((m) => m.value));
      await producer.send({ topic: 'uncached', messages });
    }
    await producer.disconnect();
    const got = await readBack(kafka, 'uncached-reader', ['uncached'], sent.length);
    expect(got.map((m) => m.value).sort()).toEqual([...sent].sort());
    for (const s of everySegment(broker)) expect(s.cacheRetainedBytes).toBe(0);
    expect(broker.logManager.readCacheBudget.heldBytes).toBe(0);
    const metrics = await (await fetch(`http://127.0.0.1:${broker.metricsPort}/metrics`)).text();
    expect(metrics).toContain('kafka_server_read_cache_budget_bytes 0');
    expect(metrics).toContain('kafka_server_read_cache_bytes 0');
  });

  it('refuses a negative budget', async () => {
    await expect(EmbeddedKafka.start({ readCacheBudgetBytes: -1 })).rejects.toThrow(InvalidConfigError);
  });

  it('takes the budget from --read-cache-budget-bytes on the command line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-cache-cli-'));
    const cli = await startCliBroker([
      '--port',
      '0',
      '--metrics-port',
      '0',
      '--data-dir',
      dir,
      '--read-cache-budget-bytes',
      '65536',
      '--quiet',
    ]);
    try {
      const text = await (await fetch(`http://127.0.0.1:${cli.metricsPort}/metrics`)).text();
      expect(text).toContain('kafka_server_read_cache_budget_bytes 65536');
      expect(text).toContain('kafka_server_read_cache_bytes 0');
    } finally {
      cli.process.kill('SIGTERM');
      await exited(cli.process);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
