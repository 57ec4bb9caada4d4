/**
 * The kafkajs consumer fetches ahead (`consumerPrefetchMaxBytes`, kafkajs patch: `prefetchMaxBytes`):
 * the next Fetch goes out while a batch is processed, and what it brought is handed over afterwards
 * only where it is still next, as the Java consumer drops the buffered records of a partition that
 * is sought, paused or revoked. Over TCP against the embedded broker, whose request counter shows
 * when the consumer sends a Fetch.
 */
import { Consumer } from 'kafkajs';
import {
  FetchedBatch,
  FetchedRecord,
  PartitionAssignor,
  StreamsConfigError,
  StreamsConsumer,
} from '../../src';
import { createClientFactory } from '../../src/client/create-client-factory';
import { DEFAULT_CONSUMER_PREFETCH_MAX_BYTES, resolveConfig } from '../../src/streams-config';
import { createTopics, silentLogger, transactionalProducer, useBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);

/** Each fetch returns about one written batch (the first batch of a partition comes whole, KIP-74). */
const GROUP_OPTIONS = {
  sessionTimeout: 6000,
  heartbeatInterval: 300,
  rebalanceTimeout: 6000,
  maxWaitTimeInMs: 100,
  maxBytesPerPartition: 2048,
};
const PREFETCH = 64 * 1024;
const RECORDS_PER_SEND = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Partition p of every topic to member p mod n (members sorted). */
const roundRobin: PartitionAssignor = (members, partitions) => {
  const sorted = [...members].sort();
  const plan = new Map<string, Map<string, number[]>>(sorted.map((m) => [m, new Map()]));
  for (const [topic, n] of partitions)
    for (let p = 0; p < n; p++) {
      const own = plan.get(sorted[p % sorted.length])!;
      own.set(topic, [...(own.get(topic) ?? []), p]);
    }
  return plan;
};

describe('the kafkajs consumer fetching ahead', () => {
  const broker = useBroker({ clientId: 'prefetch' });
  const open: Array<{ disconnect(): Promise<void> }> = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.disconnect().catch(() => undefined);
  });

  /** Fetch requests the broker has received so far. */
  async function fetches(): Promise<number> {
    const metric = broker().broker.metricsRegistry.getSingleMetric('kafka_server_requests_total');
    const { values } = await metric!.get();
    return values.find((v) => v.labels.api === 'Fetch')?.value ?? 0;
  }

  /** Waits until the broker has received a Fetch after `before` of them (false after `ms`). */
  async function fetchSentAfter(before: number, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if ((await fetches()) > before) return true;
      await sleep(10);
    }
    return false;
  }

  function clients() {
    return createClientFactory('kafkajs', {
      bootstrapServers: broker().brokers,
      clientId: 'prefetch',
      logger: silentLogger,
    });
  }

  /** Writes `count` records to each partition, in batches of {@link RECORDS_PER_SEND}. */
  async function produce(topic: string, partitions: number, count: number): Promise<void> {
    await createTopics(broker().kafka, [{ topic, numPartitions: partitions }]);
    const producer = clients().producer();
    await producer.connect();
    for (let from = 0; from < count; from += RECORDS_PER_SEND)
      for (let partition = 0; partition < partitions; partition++)
        await producer.send(
          Array.from({ length: Math.min(RECORDS_PER_SEND, count - from) }, (_, i) => ({
            topic,
            partition,
            key: null,
            value: Buffer.from(`${partition}:${from + i}:${'x'.repeat(100)}`),
            timestamp: 1_700_000_000_000,
            headers: {},
          })),
        );
    await producer.disconnect();
  }

  function consumer(groupId: string, prefetchMaxBytes: number, extra: object = {}): StreamsConsumer {
    const c = clients().consumer({
      groupId,
      clientId: groupId,
      assignor: roundRobin,
      options: GROUP_OPTIONS,
      prefetchMaxBytes,
      ...extra,
    });
    open.push(c);
    return c;
  }

  /** Offsets handed over per partition, in order, checked contiguous from `from` as they come. */
  class Positions {
    readonly next = new Map<number, number>();
    readonly gaps: string[] = [];
    received = 0;
    take(batch: FetchedBatch): void {
      if (batch.records.length === 0) return;
      const expected = this.next.get(batch.partition) ?? 0;
      const first = batch.records[0].offset;
      if (first !== expected) this.gaps.push(`partition ${batch.partition}: ${first} after ${expected - 1}`);
      batch.records.forEach((r: FetchedRecord, i: number) => {
        if (r.offset !== first + i)
          this.gaps.push(`partition ${batch.partition}: ${r.offset} in a batch from ${first}`);
      });
      this.next.set(batch.partition, batch.records[batch.records.length - 1].offset + 1);
      this.received += batch.records.length;
    }
  }

  it('sends the next Fetch while a batch is processed, and hands every record over once, in order', async () => {
    const topic = 'prefetch-overlap';
    const count = 400;
    await produce(topic, 1, count);
    const positions = new Positions();
    let batches = 0;
    let overlapped: boolean | undefined;
    let fetchesAtLast = 0;
    const base = await fetches();
    const c = consumer('prefetch-overlap', PREFETCH);
    await c.connect();
    await c.subscribe([{ topics: [topic], fromBeginning: true }]);
    await c.run(async (batch) => {
      if (batch.records.length === 0) return;
      batches++;
      positions.take(batch);
      if (overlapped === undefined) overlapped = await fetchSentAfter(await fetches(), 5000);
      if (positions.received === count) fetchesAtLast = (await fetches()) - base;
    }, {});
    await waitFor(() => positions.received >= count, 60000, 'every record');
    expect(overlapped).toBe(true);
    expect(positions.gaps).toEqual([]);
    expect(positions.received).toBe(count);
    expect(batches).toBeGreaterThanOrEqual(count / RECORDS_PER_SEND);
    // What was fetched ahead was handed over: one Fetch per batch (plus the one ahead of the last),
    // not a second one each time (2x the batches when every prefetch is dropped).
    expect(fetchesAtLast).toBeLessThanOrEqual(batches + 2);
  });

  it('with prefetchMaxBytes 0 sends no Fetch while a batch is processed', async () => {
    const topic = 'prefetch-off';
    await produce(topic, 1, 50);
    let overlapped: boolean | undefined;
    const c = consumer('prefetch-off', 0);
    await c.connect();
    await c.subscribe([{ topics: [topic], fromBeginning: true }]);
    await c.run(async (batch) => {
      if (batch.records.length === 0 || overlapped !== undefined) return;
      overlapped = await fetchSentAfter(await fetches(), 1000);
    }, {});
    await waitFor(() => overlapped !== undefined, 30000, 'the first batch');
    expect(overlapped).toBe(false);
  });

  it('drops what was fetched ahead for a partition sought meanwhile: the next batch starts at the sought offset', async () => {
    const topic = 'prefetch-seek';
    const count = 300;
    await produce(topic, 1, count);
    const firsts: number[] = [];
    const positions = new Positions();
    let sought = false;
    let prefetched: boolean | undefined;
    let afterSeek: number | undefined;
    const c = consumer('prefetch-seek', PREFETCH);
    await c.connect();
    await c.subscribe([{ topics: [topic], fromBeginning: true }]);
    await c.run(async (batch) => {
      if (batch.records.length === 0) return;
      firsts.push(batch.records[0].offset);
      if (sought) {
        afterSeek ??= batch.records[0].offset;
        positions.take(batch);
        return;
      }
      if (firsts.length === 3) {
        // The Fetch ahead is out (and answered) before the seek.
        prefetched = await fetchSentAfter(await fetches(), 5000);
        await sleep(200);
        c.seek!([{ topic, partition: 0, offset: 5 }]);
        sought = true;
        positions.next.set(0, 5);
      }
    }, {});
    await waitFor(() => (positions.next.get(0) ?? 0) >= count, 60000, 'the records after the seek');
    expect(prefetched).toBe(true);
    expect(firsts[2]).toBeGreaterThan(5);
    expect(afterSeek).toBe(5);
    expect(positions.gaps).toEqual([]);
  });

  it('hands nothing over of a partition paused meanwhile, and goes on after the resume where it stopped', async () => {
    const topic = 'prefetch-pause';
    const count = 200;
    await produce(topic, 1, count);
    const kc: Consumer = broker().kafka.consumer({ groupId: 'prefetch-pause', ...GROUP_OPTIONS });
    open.push(kc);
    const positions = new Positions();
    let nonEmpty = 0;
    let pausedAt = 0;
    let resumedAt = 0;
    let prefetched: boolean | undefined;
    const whilePaused: number[] = [];
    await kc.connect();
    await kc.subscribe({ topics: [topic], fromBeginning: true });
    await kc.run({
      prefetchMaxBytes: PREFETCH,
      eachBatch: async ({ batch, pause }) => {
        if (batch.messages.length === 0) return;
        if (pausedAt > 0 && resumedAt === 0) whilePaused.push(Number(batch.messages[0].offset));
        positions.take({
          topic,
          partition: batch.partition,
          highWatermark: Number(batch.highWatermark),
          records: batch.messages.map((m) => ({ offset: Number(m.offset) }) as FetchedRecord),
        });
        if (++nonEmpty === 2) {
          prefetched = await fetchSentAfter(await fetches(), 5000);
          await sleep(200);
          const resume = pause();
          pausedAt = Date.now();
          setTimeout(() => {
            resumedAt = Date.now();
            resume();
          }, 800);
        }
      },
    });
    await waitFor(() => positions.received >= count, 60000, 'every record');
    expect(prefetched).toBe(true);
    expect(resumedAt).toBeGreaterThan(pausedAt);
    expect(whilePaused).toEqual([]);
    expect(positions.gaps).toEqual([]);
    expect(positions.received).toBe(count);
  });

  it('never hands a member records of a partition revoked from it, though fetched ahead', async () => {
    const topic = 'prefetch-rebalance';
    const count = 200;
    await produce(topic, 2, count);
    const groupId = 'prefetch-rebalance';
    const owned = { a: new Set<number>(), b: new Set<number>() };
    const joins = { a: 0, b: 0 };
    const strays: string[] = [];
    /** What each member read in its last assignment (from the committed offsets: none, so from 0). */
    const got = { a: new Positions(), b: new Positions() };
    let prefetchedBeforeJoin: boolean | undefined;
    const a = consumer(groupId, PREFETCH);
    const b = consumer(groupId, PREFETCH);
    const listener = (who: 'a' | 'b') => ({
      onAssigned: (m: Map<string, number[]>) => {
        owned[who] = new Set(m.get(topic) ?? []);
        joins[who]++;
        got[who] = new Positions();
      },
    });
    const handler =
      (who: 'a' | 'b') =>
      async (batch: FetchedBatch, control: { heartbeat(): Promise<void>; isRunning(): boolean }) => {
        if (batch.records.length === 0) return;
        if (!owned[who].has(batch.partition)) strays.push(`${who} got partition ${batch.partition}`);
        got[who].take(batch);
        if (who !== 'a' || prefetchedBeforeJoin !== undefined) return;
        // Both partitions are fetched ahead; then the second member joins and this batch's
        // processing goes on (heartbeating) until the group rebalances.
        prefetchedBeforeJoin = await fetchSentAfter(await fetches(), 5000);
        await sleep(200);
        void (async () => {
          await b.connect();
          await b.subscribe([{ topics: [topic], fromBeginning: true }]);
          await b.run(handler('b'), listener('b'));
        })();
        const end = Date.now() + 30000;
        while (control.isRunning() && Date.now() < end) {
          await control.heartbeat();
          await sleep(100);
        }
      };
    await a.connect();
    await a.subscribe([{ topics: [topic], fromBeginning: true }]);
    await a.run(handler('a'), listener('a'));
    const through = (who: 'a' | 'b') =>
      owned[who].size === 1 && (got[who].next.get([...owned[who]][0]) ?? 0) >= count;
    await waitFor(
      () => joins.a >= 2 && joins.b >= 1 && through('a') && through('b'),
      60000,
      'both members through their partitions',
    );
    expect(prefetchedBeforeJoin).toBe(true);
    expect(strays).toEqual([]);
    expect([...owned.a, ...owned.b].sort()).toEqual([0, 1]);
    expect(got.a.gaps).toEqual([]);
    expect(got.b.gaps).toEqual([]);
    expect(got.a.received + got.b.received).toBe(2 * count);
  });

  it('under read_committed hands over exactly the committed records, in order, past every marker', async () => {
    const topic = 'prefetch-eos';
    const { kafka } = broker();
    await createTopics(kafka, [{ topic }]);
    const [p1, p2] = await Promise.all(
      ['prefetch-tx-1', 'prefetch-tx-2'].map((id) => transactionalProducer(kafka, id)),
    );
    // Brute-force model: the values of the committed transactions, in offset order. Two producers
    // interleave, one of every three transactions aborts.
    const committed: string[] = [];
    for (let t = 0; t < 30; t++) {
      const [mine, other] = t % 2 === 0 ? [p1, p2] : [p2, p1];
      const tx = await mine.transaction();
      const interleaved = await other.transaction();
      const values = Array.from({ length: 6 }, (_, i) => `t${t}-${i}-${'y'.repeat(80)}`);
      for (const [i, value] of values.entries()) {
        await tx.send({ topic, messages: [{ partition: 0, value }] });
        if (i === 2) await interleaved.send({ topic, messages: [{ partition: 0, value: `aborted-${t}` }] });
      }
      await interleaved.abort();
      if (t % 3 === 2) await tx.abort();
      else {
        await tx.commit();
        committed.push(...values);
      }
    }
    await Promise.all([p1.disconnect(), p2.disconnect()]);
    const admin = clients().admin();
    await admin.connect();
    const end = (await admin.endOffsets(topic)).get(0)!;
    await admin.disconnect();

    const values: string[] = [];
    let position = 0;
    const c = consumer('prefetch-eos', PREFETCH, { isolationLevel: 'read_committed' });
    await c.connect();
    await c.subscribe([{ topics: [topic], fromBeginning: true }]);
    await c.run(async (batch) => {
      for (const r of batch.records) values.push(r.value!.toString());
      position = Math.max(position, batch.nextOffset ?? 0);
    }, {});
    await waitFor(() => position >= end, 60000, 'the end of the partition');
    expect(values).toEqual(committed);
    expect(position).toBe(end);
  });

  it('is a validated config field, 1 MiB by default', () => {
    const base = { applicationId: 'prefetch-config', bootstrapServers: ['localhost:9092'] };
    expect(resolveConfig(base).consumerPrefetchMaxBytes).toBe(DEFAULT_CONSUMER_PREFETCH_MAX_BYTES);
    expect(DEFAULT_CONSUMER_PREFETCH_MAX_BYTES).toBe(1024 * 1024);
    expect(resolveConfig({ ...base, consumerPrefetchMaxBytes: 0 }).consumerPrefetchMaxBytes).toBe(0);
    for (const bad of [-1, 1.5, '1048576'])
      expect(() => resolveConfig({ ...base, consumerPrefetchMaxBytes: bad as number })).toThrow(
        /consumerPrefetchMaxBytes/,
      );
    expect(() => resolveConfig({ ...base, consumerPrefetchMaxBytes: -1 })).toThrow(StreamsConfigError);
  });
});
