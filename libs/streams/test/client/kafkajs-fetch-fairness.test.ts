/**
 * A stream thread's kafkajs consumer fetches at most `STREAM_FETCH_MAX_BYTES_PER_PARTITION` per
 * partition (128 KiB; kafkajs' own default is 1 MiB), so fewer decoded records are alive at once.
 * With batches larger than that limit a broker returns one batch per fetch, of the first non-empty
 * partition of the request only (KIP-74): without kafkajs' shuffle of each request's partitions, the
 * first partition in line would be read to its end before any other. Over TCP against the
 * embedded broker.
 */
import { FetchedBatch, PartitionAssignor, StreamsConsumer } from '../../src';
import { createClientFactory } from '../../src/client/create-client-factory';
import { STREAM_FETCH_MAX_BYTES_PER_PARTITION } from '../../src/client/kafkajs/kafkajs-client-factory';
import { silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);

const PARTITIONS = 3;
const BATCHES_PER_PARTITION = 20;
const RECORDS_PER_BATCH = 14;
/** Each written batch is larger than the fetch limit per partition. */
const VALUE_BYTES = Math.ceil((STREAM_FETCH_MAX_BYTES_PER_PARTITION * 1.1) / RECORDS_PER_BATCH);

/** Every partition of every topic to the one member. */
const allToOne: PartitionAssignor = (members, partitions) =>
  new Map([
    [
      members[0],
      new Map([...partitions].map(([topic, n]) => [topic, Array.from({ length: n }, (_, p) => p)])),
    ],
  ]);

describe('the kafkajs consumer of a stream thread', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  let consumer: StreamsConsumer | undefined;

  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await env?.broker.stop();
  });

  it('fetches at most one oversized batch per fetch, and serves every partition from early on', async () => {
    expect(VALUE_BYTES * RECORDS_PER_BATCH).toBeGreaterThan(STREAM_FETCH_MAX_BYTES_PER_PARTITION);
    const clients = createClientFactory('kafkajs', {
      bootstrapServers: env.brokers,
      clientId: 'fairness',
      logger: silentLogger,
    });
    const topic = 'fairness';
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics([{ topic, numPartitions: PARTITIONS, replicationFactor: 1, config: {} }]);
    await admin.disconnect();
    const producer = clients.producer();
    await producer.connect();
    for (let b = 0; b < BATCHES_PER_PARTITION; b++)
      for (let partition = 0; partition < PARTITIONS; partition++)
        // One send per partition and batch: one record batch each.
        await producer.send(
          Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({
            topic,
            partition,
            key: null,
            value: Buffer.alloc(VALUE_BYTES, 97 + ((b + i) % 26)),
            timestamp: 1_700_000_000_000,
            headers: {},
          })),
        );
    await producer.disconnect();

    const seen: Array<{ partition: number; records: number }> = [];
    const total = PARTITIONS * BATCHES_PER_PARTITION * RECORDS_PER_BATCH;
    let received = 0;
    consumer = clients.consumer({
      groupId: 'fairness-group',
      clientId: 'fairness',
      assignor: allToOne,
      options: { sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 6000, maxWaitTimeInMs: 100 },
    });
    await consumer.connect();
    await consumer.subscribe([{ topics: [topic], fromBeginning: true }]);
    await consumer.run(async (batch: FetchedBatch) => {
      if (batch.records.length === 0) return;
      seen.push({ partition: batch.partition, records: batch.records.length });
      received += batch.records.length;
    }, {});
    await waitFor(() => received >= total, 60000);
    expect(received).toBe(total);
    // The limit is in force: one written batch per fetched batch (kafkajs' 1 MiB would give ~7).
    expect(Math.max(...seen.map((s) => s.records))).toBe(RECORDS_PER_BATCH);
    // Every partition is read within the first half of the batches, not one partition after the
    // other (which reads only partition 0 for the first third). With the order shuffled per fetch,
    // a partition missing from the first 30 batches has a probability of about (2/3)^30 = 5e-6.
    const firstHalf = new Set(seen.slice(0, seen.length / 2).map((s) => s.partition));
    expect([...firstHalf].sort()).toEqual([0, 1, 2]);
  });
});
