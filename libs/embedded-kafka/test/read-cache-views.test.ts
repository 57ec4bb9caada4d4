import type { EmbeddedKafka } from '../src';
import { ReadCacheBudget } from '../src/log/read-cache-budget';
import type { Segment } from '../src/log/segment';
import { SegmentReadCache, VIEW_MIN_BYTES } from '../src/log/segment-read-cache';
import { brokerPerTest, kafkaFor, readBack } from './helpers/broker';
import { seededRandom as rng } from './helpers/seeded-random';

/** A "Produce frame": one fresh buffer holding `sizes.length` batches back to back, returned as views. */
function frame(sizes: readonly number[], random: () => number): Buffer[] {
  const buf = Buffer.allocUnsafeSlow(sizes.reduce((a, b) => a + b + 16, 0));
  for (let k = 0; k < buf.length; k += 61) buf[k] = Math.floor(random() * 256);
  const out: Buffer[] = [];
  let at = 0;
  for (const s of sizes) {
    at += 16;
    out.push(buf.subarray(at, at + s));
    at += s;
  }
  return out;
}

describe('SegmentReadCache keeping views of handed-over buffers', () => {
  it('keeps a large owned append as a view counted at its backing store, and copies the rest', () => {
    const random = rng(3);
    const cache = new SegmentReadCache(1024 * 1024);
    const [a, b] = frame([VIEW_MIN_BYTES, VIEW_MIN_BYTES * 2], random);
    cache.append(0, a!, true);
    const got = cache.read(0, a!.length)!;
    expect(got).toHaveLength(1);
    expect(got[0]!.buffer).toBe(a!.buffer); // no copy
    expect(cache.retainedBytes).toBe(a!.buffer.byteLength);
    // Not owned: copied, so the caller may reuse its buffer.
    const expected = Buffer.from(b!);
    cache.append(a!.length, b!, false);
    b!.fill(0);
    expect(Buffer.concat(cache.read(a!.length, expected.length)!).equals(expected)).toBe(true);
    // Owned but small: copied into a block of the cache.
    const [small] = frame([VIEW_MIN_BYTES - 1], random);
    const smallCopy = Buffer.from(small!);
    cache.append(a!.length + expected.length, small!, true);
    small!.fill(0);
    expect(Buffer.concat(cache.read(a!.length + expected.length, smallCopy.length)!).equals(smallCopy)).toBe(
      true,
    );
  });

  it('counts a backing store shared by several caches once in the budget, until the last view goes', () => {
    const random = rng(5);
    const budget = new ReadCacheBudget(10 * 1024 * 1024);
    const caches = [0, 1, 2].map(() => new SegmentReadCache(4 * 1024 * 1024, budget));
    const views = frame([VIEW_MIN_BYTES, VIEW_MIN_BYTES * 3, VIEW_MIN_BYTES * 2], random);
    const backing = views[0]!.buffer.byteLength;
    views.forEach((v, i) => caches[i]!.append(0, v, true));
    expect(budget.heldBytes).toBe(backing);
    for (const c of caches) expect(c.retainedBytes).toBe(backing);
    caches[0]!.clear();
    caches[1]!.clear();
    expect(budget.heldBytes).toBe(backing);
    expect(Buffer.concat(caches[2]!.read(0, views[2]!.length)!).equals(views[2]!)).toBe(true);
    caches[2]!.clear();
    expect(budget.heldBytes).toBe(0);
    expect(budget.cacheCount).toBe(0);
  });

  it('holds the budget over many caches of views and copies, and every hit reads back the log', () => {
    const budgetBytes = 512 * 1024;
    const budget = new ReadCacheBudget(budgetBytes);
    const random = rng(17);
    const caches = Array.from({ length: 40 }, () => new SegmentReadCache(128 * 1024, budget));
    // The model: each cache's log tail (more than it can hold) and its end.
    const KEEP = budgetBytes;
    const tails: Buffer[] = caches.map(() => Buffer.alloc(0));
    const ends = caches.map(() => 0);
    for (let op = 0; op < 2000; op++) {
      if (random() < 0.6) {
        // A frame with batches for a few caches, small and large, handed over (as Produce does).
        const parts = 1 + Math.floor(random() * 5);
        const targets = Array.from({ length: parts }, () => Math.floor(random() ** 2 * caches.length));
        const unique = [...new Set(targets)];
        const sizes = unique.map(() =>
          random() < 0.5
            ? 50 + Math.floor(random() * 3000)
            : VIEW_MIN_BYTES + Math.floor(random() * 48 * 1024),
        );
        const views = frame(sizes, random);
        unique.forEach((i, k) => {
          const data = views[k]!;
          caches[i]!.append(ends[i]!, data, true);
          const tail = Buffer.concat([tails[i]!, data]);
          tails[i] = tail.length > KEEP ? Buffer.from(tail.subarray(tail.length - KEEP)) : tail;
          ends[i]! += data.length;
        });
      } else {
        const i = Math.floor(random() * caches.length);
        const c = caches[i]!;
        if (c.isEmpty) continue;
        const tail = tails[i]!;
        const tailStart = ends[i]! - tail.length;
        expect(c.start + c.cachedBytes).toBe(ends[i]);
        expect(c.start).toBeGreaterThanOrEqual(tailStart);
        const from = c.start + Math.floor(random() * c.cachedBytes);
        const len = 1 + Math.floor(random() * (ends[i]! - from));
        const got = c.read(from, len);
        expect(got).toBeDefined();
        expect(Buffer.concat(got!).equals(tail.subarray(from - tailStart, from - tailStart + len))).toBe(
          true,
        );
      }
      expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
      for (const c of caches) expect(c.retainedBytes).toBeLessThanOrEqual(128 * 1024);
    }
    expect(budget.heldBytes).toBeGreaterThan(budgetBytes / 2);
    expect(budget.evictedBytes).toBeGreaterThan(0);
    for (const c of caches) c.clear();
    expect(budget.heldBytes).toBe(0);
    expect(budget.cacheCount).toBe(0);
  });
});

/** Every segment of every partition of every topic of `broker`. */
function* everySegment(broker: EmbeddedKafka): Generator<Segment> {
  for (const topic of broker.logManager.topicNames())
    for (let p = 0; p < broker.logManager.topic(topic)!.partitionCount; p++)
      yield* broker.logManager.partition(topic, p)!.segmentList();
}

describe('read cache views in a broker', () => {
  const startBroker = brokerPerTest();

  it('keeps large produced batches as views within the budget, gives them back on roll and delete, and fetches return exactly what was produced', async () => {
    const budgetBytes = 1024 * 1024;
    const broker = await startBroker({ readCacheBudgetBytes: budgetBytes, groupInitialRebalanceDelayMs: 0 });
    const budget = broker.logManager.readCacheBudget;
    const kafka = kafkaFor(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'large', numPartitions: 4 },
        { topic: 'rolls', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '200000' }] },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    const sent = new Map<string, string[]>();
    const retained = () => {
      let n = 0;
      for (const s of everySegment(broker)) n += s.cacheRetainedBytes;
      return n;
    };
    for (let round = 0; round < 30; round++) {
      // One request with 20-60 KiB for each partition: the batches are views of one frame.
      const messages = [0, 1, 2, 3].flatMap((p) =>
        Array.from({ length: 20 + ((round * 7 + p * 13) % 40) }, (_, i) => ({
          partition: p,
          value: `l${round}-${p}-${i}-`.padEnd(1000, String.fromCharCode(97 + ((round + p) % 26))),
        })),
      );
      const rolling = Array.from({ length: 30 }, (_, i) => ({
        partition: 0,
        value: `r${round}-${i}-`.padEnd(1000, 'r'),
      }));
      await producer.sendBatch({
        topicMessages: [
          { topic: 'large', messages },
          { topic: 'rolls', messages: rolling },
        ],
      });
      for (const m of [
        ...messages.map((x) => ({ ...x, topic: 'large' })),
        ...rolling.map((x) => ({ ...x, topic: 'rolls' })),
      ]) {
        const key = `${m.topic}-${m.partition}`;
        sent.set(key, [...(sent.get(key) ?? []), m.value]);
      }
      expect(budget.heldBytes).toBeLessThanOrEqual(budgetBytes);
      // Views of one frame in several partitions are counted once by the budget.
      expect(budget.heldBytes).toBeLessThanOrEqual(retained());
    }
    await producer.disconnect();
    expect(budget.heldBytes).toBeLessThan(retained());
    expect(budget.evictedBytes).toBeGreaterThan(0);
    const rolled = broker.logManager.partition('rolls', 0)!.segmentList();
    expect(rolled.length).toBeGreaterThan(2);
    for (const s of rolled.slice(0, -1)) expect(s.cacheRetainedBytes).toBe(0);

    const total = [...sent.values()].reduce((a, v) => a + v.length, 0);
    const got = new Map<string, string[]>();
    await readBack(kafka, 'views-reader', ['large', 'rolls'], total, ({ topic, partition, value }) => {
      const key = `${topic}-${partition}`;
      got.set(key, [...(got.get(key) ?? []), value]);
    });
    expect(new Map([...got].sort())).toEqual(new Map([...sent].sort()));

    await admin.deleteTopics({ topics: ['large', 'rolls'] });
    await admin.disconnect();
    expect(budget.heldBytes).toBe(0);
  });
});
