/**
 * The kafkajs patch encodes an uncompressed produce request's record batches into memory reused
 * from one request to the next (`kafkajs/src/protocol/recordBatch/v0/batchBufferPool.js`): a
 * request's arena goes back to its producer's pool once the broker answered it, and never while it
 * may still be written. These tests hold the pool to that, and check over TCP against the embedded
 * broker that reused memory never changes a record: sequential and concurrent requests, and a
 * request the broker refuses, read back byte for byte.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { FetchedRecord, KafkaClientFactory } from '../../src';
import { createClientFactory } from '../../src/client/create-client-factory';
import { silentLogger, startBroker } from '@gmart/test-support';

interface Arena {
  take(size: number): Buffer;
  release(): void;
}
const { BatchBufferPool, CHUNK_BYTES, MAX_FREE_CHUNKS } =
  require('kafkajs/src/protocol/recordBatch/v0/batchBufferPool') as {
    BatchBufferPool: new () => { arena(): Arena };
    CHUNK_BYTES: number;
    MAX_FREE_CHUNKS: number;
  };

jest.setTimeout(120000);

/** True when two buffers share memory. */
function overlap(a: Buffer, b: Buffer): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
}

describe('the batch buffer pool of the kafkajs patch', () => {
  it('gives the arenas of requests in flight disjoint memory', () => {
    const pool = new BatchBufferPool();
    const a = pool.arena();
    const b = pool.arena();
    const taken: Buffer[] = [];
    for (let i = 0; i < 40; i++) taken.push((i % 2 ? a : b).take(10_000 + i * 997));
    taken.push(a.take(CHUNK_BYTES * 2)); // larger than a chunk: a chunk of its own
    for (let i = 0; i < taken.length; i++) {
      expect(taken[i]!.length).toBe(i < 40 ? 10_000 + i * 997 : CHUNK_BYTES * 2);
      for (let j = i + 1; j < taken.length; j++) expect(overlap(taken[i]!, taken[j]!)).toBe(false);
    }
  });

  it('reuses the memory of an answered request, never that of one still unanswered', () => {
    const pool = new BatchBufferPool();
    const answered = pool.arena();
    const first = answered.take(100_000);
    const unanswered = pool.arena();
    const held = unanswered.take(100_000);
    answered.release();
    const next = pool.arena();
    const again = next.take(100_000);
    expect(again.buffer).toBe(first.buffer);
    expect(overlap(again, held)).toBe(false);
    // Nothing given back by `unanswered`: a further arena gets fresh memory.
    const other = pool.arena().take(100_000);
    expect(other.buffer).not.toBe(held.buffer);
    expect(other.buffer).not.toBe(again.buffer);
  });

  it(`keeps at most ${MAX_FREE_CHUNKS} chunks for reuse`, () => {
    const pool = new BatchBufferPool();
    const arenas = Array.from({ length: MAX_FREE_CHUNKS + 4 }, () => pool.arena());
    const chunks = arenas.map((a) => a.take(CHUNK_BYTES).buffer);
    for (const a of arenas) a.release();
    const reused = Array.from({ length: MAX_FREE_CHUNKS + 4 }, () => pool.arena().take(CHUNK_BYTES).buffer);
    expect(reused.filter((c) => chunks.includes(c))).toHaveLength(MAX_FREE_CHUNKS);
  });
});

describe('a kafkajs producer encoding into reused memory', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  let clients: KafkaClientFactory;
  const PARTITIONS = 3;

  beforeAll(async () => {
    env = await startBroker();
    clients = createClientFactory('kafkajs', {
      bootstrapServers: env.brokers,
      clientId: 'batch-buffers',
      logger: silentLogger,
    });
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics([
      { topic: 'reused', numPartitions: PARTITIONS, replicationFactor: 1, config: {} },
      // A batch above 20,000 bytes is refused (RECORD_TOO_LARGE / MESSAGE_TOO_LARGE).
      { topic: 'small', numPartitions: 1, replicationFactor: 1, config: { 'max.message.bytes': '20000' } },
    ]);
    await admin.disconnect();
  });
  afterAll(async () => {
    await env?.broker.stop();
  });

  /** The value of record `i` of request `r`: its own bytes, so any overwrite shows. */
  const valueOf = (r: number, i: number) => Buffer.alloc(200 + ((r * 7 + i) % 300), `${r}:${i};`);

  async function readAll(topic: string, partitions: number): Promise<FetchedRecord[][]> {
    const out: FetchedRecord[][] = [];
    for (let p = 0; p < partitions; p++) {
      const records: FetchedRecord[] = [];
      await clients.readPartition(topic, p, 0, (batch) => void records.push(...batch));
      out.push(records);
    }
    return out;
  }

  it('writes every record as sent, request after request and with requests in flight at once', async () => {
    const producer = clients.producer();
    await producer.connect();
    const expected: Buffer[][] = Array.from({ length: PARTITIONS }, () => []);
    const request = (r: number) =>
      Array.from({ length: 400 }, (_, i) => {
        const value = valueOf(r, i);
        expected[i % PARTITIONS]!.push(value);
        return {
          topic: 'reused',
          partition: i % PARTITIONS,
          key: Buffer.from(`k${i}`),
          value,
          timestamp: 1_700_000_000_000 + r * 1000 + i,
          headers: i % 5 === 0 ? { h: `${r}-${i}` } : {},
        };
      });
    // Buffers of 32 KiB or more that kafkajs' produce encoding allocates (the broker of this test
    // runs in this process: its allocations do not count).
    const big: number[] = [];
    const spies = (['allocUnsafe', 'allocUnsafeSlow'] as const).map((name) => {
      const original = Buffer[name].bind(Buffer);
      return jest.spyOn(Buffer, name).mockImplementation((size: number) => {
        if (size >= 32 * 1024 && /kafkajs[\\/]src[\\/]/.test(new Error().stack ?? '')) big.push(size);
        return original(size);
      });
    });
    try {
      // One at a time: each answered request's memory serves the next.
      for (let r = 0; r < 20; r++) await producer.send(request(r));
    } finally {
      for (const s of spies) s.mockRestore();
    }
    // 20 requests of ~47 KiB per partition (a chunk holds a request): a buffer per batch would be 60.
    expect(big.length).toBeGreaterThan(0);
    expect(big.length).toBeLessThanOrEqual(2);
    // Several in flight at once: disjoint memory each. Each request's records go to one partition, so
    // the partitions' order does not depend on which request the broker appends first.
    const concurrent = (r: number, p: number) =>
      Array.from({ length: 300 }, (_, i) => ({
        topic: 'reused',
        partition: p,
        key: null,
        value: valueOf(r, i),
        timestamp: 1_700_000_100_000 + i,
        headers: {},
      }));
    for (let round = 0; round < 5; round++) {
      const requests = Array.from({ length: PARTITIONS }, (_, p) => concurrent(100 + round * 10 + p, p));
      for (let p = 0; p < PARTITIONS; p++) expected[p]!.push(...requests[p]!.map((r) => r.value));
      await Promise.all(requests.map((rs) => producer.send(rs)));
    }
    await producer.disconnect();

    const read = await readAll('reused', PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) {
      expect(read[p]!.length).toBe(expected[p]!.length);
      read[p]!.forEach((r, i) => expect(r.value!.equals(expected[p]![i]!)).toBe(true));
    }
    // Keys, timestamps and headers of a sequential request, read back.
    const first = read[0]!.slice(0, 3);
    expect(first.map((r) => r.key!.toString())).toEqual(['k0', 'k3', 'k6']);
    expect(first.map((r) => r.timestamp)).toEqual([1_700_000_000_000, 1_700_000_000_003, 1_700_000_000_006]);
    expect(read[0]![0]!.headers.h!.toString()).toBe('0-0');
  });

  it('keeps the records of later requests intact after a request the broker refused', async () => {
    const producer = clients.producer();
    await producer.connect();
    const ok = (r: number) =>
      Array.from({ length: 20 }, (_, i) => ({
        topic: 'small',
        partition: 0,
        key: null,
        value: valueOf(r, i),
        timestamp: 1_700_000_000_000 + i,
        headers: {},
      }));
    const sent: Buffer[] = [];
    for (let r = 0; r < 3; r++) {
      const rs = ok(r);
      await producer.send(rs);
      sent.push(...rs.map((x) => x.value));
      const tooLarge = [{ ...rs[0]!, value: Buffer.alloc(50_000, r) }];
      await expect(producer.send(tooLarge)).rejects.toThrow();
    }
    await producer.disconnect();
    const [read] = await readAll('small', 1);
    expect(read!.map((r) => r.value!.toString('hex'))).toEqual(sent.map((v) => v.toString('hex')));
  });
});
