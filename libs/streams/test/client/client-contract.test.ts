/**
 * The contract of the client seam (`src/client/kafka-client.ts`), run against every implementation
 * over TCP against the embedded broker: what the runtime relies on, asserted the same way for
 * kafkajs and @platformatic/kafka.
 */
import {
  ConsumerListener,
  ConsumerSettings,
  FetchedBatch,
  FetchedRecord,
  KafkaClientFactory,
  KafkaClientName,
  NewTopic,
  KAFKA_CLIENTS,
  PartitionAssignor,
  ProduceRecord,
  StreamsConsumer,
  TopicPartitionOffset,
} from '../../src';
import { createClientFactory } from '../../src/client/create-client-factory';
import { platformaticKafka } from '../../src/client/platformatic/platformatic-module';
import type { ConsumerGroupMetadata } from '../../src/client/kafka-client';
import { ProducerFencedError } from '../../src/errors/producer-fenced-error';
import { ProduceRefusedError } from '../../src/errors/produce-refused-error';
import { COMPRESSION_TYPES } from '../../src/client/compression/compression-type';
import { silentLogger, startBroker, waitFor } from '@gmart/test-support';

jest.setTimeout(120000);

const FAST_GROUP = {
  sessionTimeout: 6000,
  heartbeatInterval: 300,
  rebalanceTimeout: 6000,
  maxWaitTimeInMs: 100,
};

/** A record of `value` for partition 0 of `topic`, timestamped now. */
function record(topic: string, value: string, key: Buffer | null = null): ProduceRecord {
  return { topic, partition: 0, key, value: Buffer.from(value), timestamp: Date.now(), headers: {} };
}

/**
 * The group metadata of a producer that stages offsets for `groupId` without being one of its
 * members (an instance frozen before its EndTxn); the platformatic adapter also needs the group
 * coordinator: the only broker, node 1 (its default id).
 */
function outsideGroup(groupId: string): ConsumerGroupMetadata {
  const metadata = { groupId, generationId: -1, memberId: '', groupInstanceId: null, coordinatorId: 1 };
  return metadata;
}

/** Round-robin over the sorted members, partition by partition, recording the userData it saw. */
function recordingAssignor(seen: Array<Map<string, string>>): PartitionAssignor {
  return (members, partitions, userData) => {
    seen.push(new Map([...(userData ?? new Map())].map(([k, v]) => [k, v.toString()])));
    const out = new Map<string, Map<string, number[]>>();
    for (const m of members) out.set(m, new Map());
    let i = 0;
    for (const [topic, n] of [...partitions].sort())
      for (let p = 0; p < n; p++) {
        const m = out.get(members[i++ % members.length])!;
        m.set(topic, [...(m.get(topic) ?? []), p]);
      }
    return out;
  };
}

describe.each(KAFKA_CLIENTS.map((c) => [c]))('the %s client', (client: KafkaClientName) => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  let clients: KafkaClientFactory;
  const t = (name: string) => `${client}-${name}`;
  const running: StreamsConsumer[] = [];

  beforeAll(async () => {
    env = await startBroker();
    clients = createClientFactory(client, {
      bootstrapServers: env.brokers,
      clientId: `contract-${client}`,
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await Promise.all(running.map((c) => c.disconnect().catch(() => undefined)));
    await env?.broker.stop();
  });

  /** Creates `topics`, `numPartitions` partitions each. */
  const createTopics = async (numPartitions: number, ...topics: string[]) => {
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics(
      topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1, config: {} })),
    );
    await admin.disconnect();
  };

  /**
   * A group member (fast group timings, a round-robin assignor unless `settings` name others) that
   * reads `topic` (from the beginning unless `fromBeginning` is false) into `handler`; disconnected
   * after all tests at the latest.
   */
  const startMember = async (
    settings: Omit<ConsumerSettings, 'assignor'> & Partial<Pick<ConsumerSettings, 'assignor'>>,
    topic: string,
    handler: (batch: FetchedBatch) => Promise<void>,
    listener: ConsumerListener = {},
    fromBeginning = true,
  ): Promise<StreamsConsumer> => {
    const consumer = clients.consumer({ assignor: recordingAssignor([]), options: FAST_GROUP, ...settings });
    running.push(consumer);
    await consumer.connect();
    await consumer.subscribe([{ topics: [topic], fromBeginning }]);
    await consumer.run(handler, listener);
    return consumer;
  };

  it('admin: creates topics (ignoring existing ones), lists them, counts partitions, end and committed offsets', async () => {
    const admin = clients.admin();
    await admin.connect();
    try {
      const topics: NewTopic[] = [
        { topic: t('a'), numPartitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
        { topic: t('b'), numPartitions: 1, replicationFactor: 1, config: {} },
      ];
      await admin.createTopics(topics);
      await admin.createTopics(topics); // already there: no error
      const listed = await admin.listTopics();
      expect(listed).toEqual(expect.arrayContaining([t('a'), t('b')]));
      expect(await admin.partitionCounts([t('a'), t('b'), t('absent')])).toEqual(
        new Map([
          [t('a'), 3],
          [t('b'), 1],
        ]),
      );
      expect(await admin.endOffsets(t('a'))).toEqual(
        new Map([
          [0, 0],
          [1, 0],
          [2, 0],
        ]),
      );
      expect(await admin.committedOffsets('nobody', t('b'))).toEqual(new Map([[0, -1]]));
      expect(env.broker.logManager.topic(t('a'))?.overrides['cleanup.policy']).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('producer and readPartition: keys, tombstones, headers, timestamps and explicit partitions round-trip with every codec', async () => {
    await createTopics(2, t('rt'));
    const expected: FetchedRecord[] = [];
    let offset = 0;
    for (const compression of COMPRESSION_TYPES) {
      const producer = clients.producer({}, { compression });
      await producer.connect();
      const records = Array.from({ length: 5 }, (_, i) => ({
        topic: t('rt'),
        partition: 1,
        key: i === 0 ? null : Buffer.from(`${compression}-k${i}`),
        value: i === 4 ? null : Buffer.from(`${compression}-v${i}`.repeat(20)),
        timestamp: 1_700_000_000_000 + offset,
        headers: i === 2 ? { h1: Buffer.from('one'), h2: Buffer.from(compression) } : {},
      }));
      const acks = await producer.send(records);
      expect(acks).toEqual([{ topic: t('rt'), partition: 1, baseOffset: offset, count: 5 }]);
      await producer.disconnect();
      for (const r of records)
        expected.push({
          offset: offset++,
          timestamp: r.timestamp,
          key: r.key,
          value: r.value,
          headers: r.headers,
        });
    }
    const read: FetchedRecord[] = [];
    const next = await clients.readPartition(t('rt'), 1, 0, (rs) => {
      read.push(...rs);
    });
    expect(next).toBe(expected.length);
    const plain = (r: FetchedRecord) => ({
      offset: r.offset,
      timestamp: r.timestamp,
      key: r.key?.toString() ?? null,
      value: r.value?.toString() ?? null,
      headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])),
    });
    expect(read.map(plain)).toEqual(expected.map(plain));
    // From an offset in the middle; and an empty partition.
    const tail: number[] = [];
    expect(
      await clients.readPartition(t('rt'), 1, 17, (rs) => void tail.push(...rs.map((r) => r.offset))),
    ).toBe(expected.length);
    expect(tail).toEqual([17, 18, 19, 20, 21, 22, 23, 24]);
    expect(await clients.readPartition(t('rt'), 0, 0, () => undefined)).toBe(0);
  });

  it('producer: a request some partitions of which the broker refuses fails for those only (the written ones acknowledged, never re-sent); in a transaction the sequence numbers of every partition stay right', async () => {
    const limited = t('refused-limited');
    const other = t('refused-other');
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics([
      { topic: limited, numPartitions: 2, replicationFactor: 1, config: { 'max.message.bytes': '2000' } },
      { topic: other, numPartitions: 1, replicationFactor: 1, config: {} },
    ]);
    await admin.disconnect();
    const rec = (topic: string, partition: number, value: string): ProduceRecord => ({
      topic,
      partition,
      key: null,
      value: Buffer.from(value),
      timestamp: Date.now(),
      headers: {},
    });
    // Where each request's batches start: the plain producer's records first (two of `other`, one of `limited`, then one more each).
    const bases = { plain: { limited: 0, other: 0 }, txn: { limited: 2, other: 3 } };
    for (const tag of ['plain', 'txn'] as const) {
      const producer = clients.producer(
        {},
        tag === 'txn' ? { transactionalId: t('refused-txn'), transactionTimeoutMs: 10000 } : {},
      );
      await producer.connect();
      if (tag === 'txn') await producer.beginTransaction!();
      // The refused partition has had a batch of this producer before (the broker checks its sequence).
      await producer.send([rec(limited, 1, `${tag}-m1`)]);
      const error: unknown = await producer
        .send([
          rec(other, 0, `${tag}-a1`),
          rec(limited, 0, `${tag}-l1`),
          rec(limited, 1, 'X'.repeat(5000)),
          rec(other, 0, `${tag}-a2`),
        ])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ProduceRefusedError);
      const refused = error as ProduceRefusedError;
      expect(refused.refused.map((r) => [r.topic, r.partition])).toEqual([[limited, 1]]);
      expect(refused.message).toContain(`topic "${limited}" partition 1`);
      expect(refused.message).not.toContain('XXXX');
      const byPartition = (a: { topic: string; partition: number }) => `${a.topic}/${a.partition}`;
      expect([...refused.acks].sort((a, b) => byPartition(a).localeCompare(byPartition(b)))).toEqual(
        [
          { topic: limited, partition: 0, baseOffset: bases[tag].limited, count: 1 },
          { topic: other, partition: 0, baseOffset: bases[tag].other, count: 2 },
        ].sort((a, b) => byPartition(a).localeCompare(byPartition(b))),
      );
      // The written partitions go on after what they wrote (neither taken for duplicates nor out of
      // sequence), and so does the refused one after its last written batch.
      const acks = await producer.send([
        rec(other, 0, `${tag}-a3`),
        rec(limited, 0, `${tag}-l2`),
        rec(limited, 1, `${tag}-m2`),
      ]);
      expect(acks.map((a) => [byPartition(a), a.count]).sort()).toEqual([
        [`${limited}/0`, 1],
        [`${limited}/1`, 1],
        [`${other}/0`, 1],
      ]);
      if (tag === 'txn') await producer.commitTransaction!();
      await producer.disconnect();
    }
    const values = async (topic: string, partition: number) => {
      const read: string[] = [];
      await clients.readPartition(
        topic,
        partition,
        0,
        (rs) => void read.push(...rs.map((r) => r.value!.toString())),
      );
      return read;
    };
    expect(await values(other, 0)).toEqual([
      'plain-a1',
      'plain-a2',
      'plain-a3',
      'txn-a1',
      'txn-a2',
      'txn-a3',
    ]);
    expect(await values(limited, 0)).toEqual(['plain-l1', 'plain-l2', 'txn-l1', 'txn-l2']);
    expect(await values(limited, 1)).toEqual(['plain-m1', 'plain-m2', 'txn-m1', 'txn-m2']);
  });

  it('global consumer: every partition from its position (else the beginning), in offset order, then new records; stop() ends it', async () => {
    const topic = t('global');
    await createTopics(3, topic);
    const producer = clients.producer();
    await producer.connect();
    const write = (from: number, to: number) =>
      producer.send(
        Array.from({ length: to - from }, (_, j) => ({
          topic,
          partition: (from + j) % 3,
          key: Buffer.from(`k${from + j}`),
          value: Buffer.from(`v${from + j}`),
          timestamp: 1_700_000_000_000 + from + j,
          headers: {},
        })),
      );
    await write(0, 300); // 100 records per partition, offsets 0..99
    const seen = new Map<number, number[]>([
      [0, []],
      [1, []],
      [2, []],
    ]);
    const next = new Map<number, number>();
    const consumer = clients.globalConsumer!({ clientId: t('global-consumer') });
    // Partition 1 starts at offset 40 (a checkpointed position); the others at their beginning.
    await consumer.run(
      [topic],
      [{ topic, partition: 1, offset: 40 }],
      async (batch) => {
        expect(batch.topic).toBe(topic);
        for (const r of batch.records) {
          expect(r.key!.toString()).toBe(`k${r.offset * 3 + batch.partition}`);
          seen.get(batch.partition)!.push(r.offset);
        }
        next.set(batch.partition, batch.nextOffset);
      },
      {},
    );
    await waitFor(
      () => [0, 1, 2].every((p) => next.get(p) === 100),
      30000,
      'every partition read to its end',
    );
    await write(300, 330); // read while running
    await waitFor(() => [0, 1, 2].every((p) => next.get(p) === 110), 30000, 'new records read');
    await consumer.stop();
    await producer.disconnect();
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    expect(seen.get(0)).toEqual(range(0, 110));
    expect(seen.get(1)).toEqual(range(40, 110));
    expect(seen.get(2)).toEqual(range(0, 110));
  });

  it('consumer group: the assignor sees every member userData, batches carry the high watermark, commits are visible, a leaving member rebalances', async () => {
    const topic = t('grp');
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics([{ topic, numPartitions: 4, replicationFactor: 1, config: {} }]);
    const producer = clients.producer();
    await producer.connect();
    await producer.send(
      Array.from({ length: 40 }, (_, i) => ({
        topic,
        partition: i % 4,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`v${i}`),
        timestamp: Date.now(),
        headers: {},
      })),
    );
    const seen: Array<Map<string, string>> = [];
    const groupId = t('group');
    const members = ['m1', 'm2'].map((name) => {
      const state = {
        name,
        assigned: [] as Array<Map<string, number[]>>,
        rebalancing: 0,
        batches: [] as FetchedBatch[],
        consumer: clients.consumer({
          groupId,
          clientId: name,
          assignor: recordingAssignor(seen),
          options: FAST_GROUP,
          userData: () => Buffer.from(`data-of-${name}`),
        }),
      };
      running.push(state.consumer);
      return state;
    });
    const start = async (m: (typeof members)[number]) => {
      await m.consumer.connect();
      await m.consumer.subscribe([{ topics: [topic], fromBeginning: true }]);
      await m.consumer.run(
        async (batch) => {
          m.batches.push(batch);
          const last = batch.records[batch.records.length - 1];
          await m.consumer.commit([{ topic, partition: batch.partition, offset: last.offset + 1 }]);
        },
        {
          onAssigned: (a) => m.assigned.push(a),
          onRebalancing: () => void m.rebalancing++,
        },
      );
    };
    await start(members[0]);
    await waitFor(() => members[0].batches.length > 0, 30000, 'first member consuming');
    await start(members[1]);
    const both = () => {
      const a = members[0].assigned.at(-1)?.get(topic) ?? [];
      const b = members[1].assigned.at(-1)?.get(topic) ?? [];
      return a.length === 2 && b.length === 2 && new Set([...a, ...b]).size === 4;
    };
    await waitFor(both, 60000, 'both members assigned two partitions each');
    // The assignor ran with both members' userData.
    expect(seen.some((m) => [...m.values()].sort().join() === 'data-of-m1,data-of-m2')).toBe(true);
    expect(members[0].rebalancing).toBeGreaterThan(0);
    // Every record consumed (at least once), with the partition's high watermark.
    const consumed = () =>
      new Set(members.flatMap((m) => m.batches.flatMap((b) => b.records.map((r) => r.value!.toString()))));
    await waitFor(() => consumed().size === 40, 30000, 'all 40 records consumed');
    for (const b of members.flatMap((m) => m.batches)) {
      expect(b.topic).toBe(topic);
      expect(b.highWatermark).toBe(10);
      for (const r of b.records) expect(r.value!.toString()).toBe(`v${r.offset * 4 + b.partition}`);
    }
    await waitFor(
      async () => [...(await admin.committedOffsets(groupId, topic)).values()].every((o) => o === 10),
      30000,
      'offsets committed',
    );
    const described = await admin.describeGroup(groupId);
    expect(described.state).toBe('Stable');
    expect(described.members.map((m) => m.userData.toString()).sort()).toEqual(['data-of-m1', 'data-of-m2']);
    expect(described.members.flatMap((m) => m.assignment.get(topic) ?? []).sort()).toEqual([0, 1, 2, 3]);
    // m2 leaves: m1 gets every partition back; new records reach it.
    await members[1].consumer.disconnect();
    await waitFor(() => (members[0].assigned.at(-1)?.get(topic) ?? []).length === 4, 60000, 'm1 owning all');
    await producer.send([
      { topic, partition: 3, key: null, value: Buffer.from('late'), timestamp: Date.now(), headers: {} },
    ]);
    await waitFor(
      () => members[0].batches.some((b) => b.records.some((r) => r.value?.toString() === 'late')),
      30000,
      'late record',
    );
    await members[0].consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });

  it('a consumer without committed offsets starts at the end when not reading from the beginning; commit accepts several partitions', async () => {
    const topic = t('latest');
    const admin = clients.admin();
    await admin.connect();
    await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1, config: {} }]);
    const producer = clients.producer();
    await producer.connect();
    const send = (value: string) =>
      producer.send(
        [0, 1].map((partition) => ({
          topic,
          partition,
          key: null,
          value: Buffer.from(value),
          timestamp: Date.now(),
          headers: {},
        })),
      );
    await send('old');
    const values: string[] = [];
    let assigned = false;
    const consumer = await startMember(
      { groupId: t('latest-group'), clientId: 'l' },
      topic,
      async (b) => void values.push(...b.records.map((r) => r.value!.toString())),
      { onAssigned: () => (assigned = true) },
      false,
    );
    await waitFor(() => assigned, 30000, 'assignment');
    // The position is taken when fetching starts: keep sending until new records arrive.
    await waitFor(
      async () => {
        await send('new');
        return values.length > 0;
      },
      30000,
      'new records',
    );
    expect(values).not.toContain('old');
    const offsets: TopicPartitionOffset[] = [
      { topic, partition: 0, offset: 1 },
      { topic, partition: 1, offset: 2 },
    ];
    await consumer.commit(offsets);
    expect(await admin.committedOffsets(t('latest-group'), topic)).toEqual(
      new Map([
        [0, 1],
        [1, 2],
      ]),
    );
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });

  it('consumer option maxBytesPerPartition bounds what one fetch hands over of a partition (whole record batches; the first may exceed it)', async () => {
    const topic = t('fetch-size');
    await createTopics(1, topic);
    const producer = clients.producer();
    await producer.connect();
    // 20 record batches of one 1,000-byte record each.
    for (let i = 0; i < 20; i++) await producer.send([record(topic, `${i}:`.padEnd(1000, 'x'))]);
    await producer.disconnect();
    const limit = 3000;
    const batches: FetchedBatch[] = [];
    const consumer = await startMember(
      {
        groupId: t('fetch-size-group'),
        clientId: 'fetch-size',
        options: { ...FAST_GROUP, maxBytesPerPartition: limit },
      },
      topic,
      async (b) => void (b.records.length && batches.push(b)),
    );
    await waitFor(() => batches.reduce((n, b) => n + b.records.length, 0) >= 20, 30000, 'every record');
    await consumer.disconnect();
    const values = batches.flatMap((b) => b.records.map((r) => r.value!.toString()));
    expect(values.map((v) => v.split(':')[0])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    // With the default (1 MiB) one fetch would hand over all 20; within 3,000 bytes at most 2 batches fit.
    for (const b of batches) expect(b.records.length).toBeLessThanOrEqual(2);
  });

  it('consumer: a batch carries the position past transaction markers; a fetch of only a marker and aborted records comes as an empty batch', async () => {
    const topic = t('txn-position');
    await createTopics(1, topic);
    const batches: FetchedBatch[] = [];
    const consumer = await startMember(
      { groupId: t('txn-position-group'), clientId: 'txn-position', isolationLevel: 'read_committed' },
      topic,
      async (b) => void batches.push(b),
    );
    const producer = env.kafka.producer({
      transactionalId: t('txn-position-writer'),
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const write = async (values: string[], commit: boolean) => {
      const tx = await producer.transaction();
      await tx.send({ topic, messages: values.map((value) => ({ value, partition: 0 })) });
      if (commit) await tx.commit();
      else await tx.abort();
    };
    const end = () => env.broker.logManager.partition(topic, 0)!.highWatermark;
    const position = () => Math.max(-1, ...batches.map((b) => b.nextOffset ?? -1));
    try {
      await write(['a', 'b', 'c'], true); // offsets 0-2, commit marker at 3
      await waitFor(() => position() === end(), 30000, 'the position past the commit marker');
      expect(end()).toBe(4);
      await write(['x', 'y'], false); // aborted 4-5, abort marker at 6
      await waitFor(() => position() === end(), 30000, 'the position past the abort marker');
      expect(end()).toBe(7);
    } finally {
      await producer.disconnect();
    }
    const values = batches.flatMap((b) => b.records.map((r) => r.value!.toString()));
    expect(values).toEqual(['a', 'b', 'c']);
    const last = batches.at(-1)!;
    expect(last.records).toEqual([]);
    expect(last.nextOffset).toBe(7);
    // Positions only move forward, each batch's past its records.
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      if (b.records.length) expect(b.nextOffset!).toBeGreaterThan(b.records.at(-1)!.offset);
      if (i > 0) expect(b.nextOffset!).toBeGreaterThanOrEqual(batches[i - 1].nextOffset!);
    }
    await consumer.disconnect();
  });

  it('consumer, global consumer and readPartition hand over offsets and timestamps exactly: timestamps up to 2^53 - 1 and going back within a batch, records after transaction markers, an aborted transaction skipped (read_committed)', async () => {
    const topic = t('exact');
    await createTopics(1, topic);
    // Written by @platformatic/kafka, which bases a batch's timestamps on its first record's (as
    // Java's producer does), so that a batch going back in time has negative timestamp deltas (deltas
    // beyond +-2^31 too: @platformatic/dynamic-buffer 0.3.1 wrote those wrongly, patched in
    // patches/), and by kafkajs, which bases them on the smallest (deltas up to 2^53 - 1).
    const writer = createClientFactory('platformatic', {
      bootstrapServers: env.brokers,
      clientId: t('exact-writer'),
      logger: silentLogger,
    });
    const producer = writer.producer({}, { transactionalId: t('exact-writer'), transactionTimeoutMs: 10000 });
    await producer.connect();
    const plainProducer = env.kafka.producer();
    await plainProducer.connect();
    const big = 2 ** 53 - 1;
    const now = 1_796_538_900_512;
    // A brute-force model of the log: each send is one batch of consecutive offsets, each commit or
    // abort one marker offset; only committed (or non-transactional) records are read.
    const model: Array<{ offset: number; timestamp: number; value: string }> = [];
    let offset = 0;
    const write = async (timestamps: number[], outcome: 'commit' | 'abort' | 'none', label: string) => {
      const records = timestamps.map((timestamp, i) => ({ ...record(topic, `${label}${i}`), timestamp }));
      if (outcome === 'none') {
        await plainProducer.send({
          topic,
          messages: records.map((r) => ({ partition: 0, value: r.value, timestamp: String(r.timestamp) })),
        });
      } else {
        await producer.beginTransaction!();
        const acks = await producer.send(records);
        expect(acks).toEqual([{ topic, partition: 0, baseOffset: offset, count: records.length }]);
      }
      for (const r of records) {
        if (outcome !== 'abort') model.push({ offset, timestamp: r.timestamp, value: r.value!.toString() });
        offset++;
      }
      if (outcome === 'commit') await producer.commitTransaction!();
      if (outcome === 'abort') await producer.abortTransaction!();
      if (outcome !== 'none') offset++; // the marker
    };
    try {
      await write([now, now - 1000, now - 999_999_999, now + 5, now - 1], 'commit', 'a');
      await write([now, now - 7], 'abort', 'x');
      await write([0, 7, big, 999, big - 1], 'none', 'n');
      await write([big, big - 1, big - 1_000_000_000, big], 'commit', 'b');
      // Deltas of +-2^31 and more from the first record's timestamp, and one of 2^32 exactly.
      await write(
        [now, now - 3_000_000_000, now + 5_000_000_000, 2 ** 32 + 7, now + 2 ** 32, big],
        'commit',
        'w',
      );
    } finally {
      await Promise.all([producer.disconnect(), plainProducer.disconnect()]);
    }
    expect(env.broker.logManager.partition(topic, 0)!.highWatermark).toBe(offset);
    const plain = (r: FetchedRecord) => ({
      offset: r.offset,
      timestamp: r.timestamp,
      value: r.value!.toString(),
    });

    const grouped: FetchedRecord[] = [];
    let position = -1;
    const consumer = await startMember(
      { groupId: t('exact-group'), clientId: 'exact', isolationLevel: 'read_committed' },
      topic,
      async (b) => {
        grouped.push(...b.records);
        position = Math.max(position, b.nextOffset ?? -1);
      },
    );
    await waitFor(() => position === offset, 30000, 'the group member past the last marker');
    await consumer.disconnect();
    expect(grouped.map(plain)).toEqual(model);

    const global: FetchedRecord[] = [];
    let globalNext = -1;
    const globalConsumer = clients.globalConsumer!({ clientId: t('exact-global') });
    await globalConsumer.run(
      [topic],
      [],
      async (b) => {
        global.push(...b.records);
        globalNext = Math.max(globalNext, b.nextOffset);
      },
      {},
    );
    await waitFor(() => globalNext === offset, 30000, 'the global consumer past the last marker');
    await globalConsumer.stop();
    expect(global.map(plain)).toEqual(model);

    const restored: FetchedRecord[] = [];
    expect(await clients.readPartition(topic, 0, 0, (rs) => void restored.push(...rs))).toBe(offset);
    expect(restored.map(plain)).toEqual(model);
    const tail: FetchedRecord[] = [];
    expect(await clients.readPartition(topic, 0, 3, (rs) => void tail.push(...rs))).toBe(offset);
    expect(tail.map(plain)).toEqual(model.filter((r) => r.offset >= 3));
  });

  it('transactions: output and group offsets commit together, an aborted transaction stays invisible, a second producer with the same transactional id fences the first', async () => {
    expect(clients.capabilities?.()).toMatchObject({
      transactions: true,
      transactionalOffsetsWithGroupMetadata: true,
    });
    const input = t('txn-in');
    const output = t('txn-out');
    await createTopics(1, input, output);
    const admin = clients.admin();
    await admin.connect();
    const groupId = t('txn-group');
    let assigned = false;
    const consumer = await startMember(
      { groupId, clientId: 'txn', isolationLevel: 'read_committed' },
      input,
      async () => undefined,
      { onAssigned: () => (assigned = true) },
    );
    await waitFor(() => assigned, 30000, 'assignment');
    const out = (value: string) => record(output, value);
    const settings = { transactionalId: t('txn-id'), transactionTimeoutMs: 10000 };
    const a = clients.producer({}, settings);
    await a.connect();
    await a.beginTransaction!();
    await a.send([out('committed-1'), out('committed-2')]);
    await a.sendOffsetsToTransaction!([{ topic: input, partition: 0, offset: 7 }], consumer.groupMetadata!());
    await a.commitTransaction!();
    await a.beginTransaction!();
    await a.send([out('aborted')]);
    await a.abortTransaction!();
    expect(await admin.committedOffsets(groupId, input)).toEqual(new Map([[0, 7]]));
    // A second producer with the same transactional id: the first one's open transaction is aborted, the first is fenced.
    await a.beginTransaction!();
    await a.send([out('zombie')]);
    const b = clients.producer({}, settings);
    await b.connect();
    await b.beginTransaction!();
    await b.send([out('committed-3')]);
    await b.commitTransaction!();
    await expect(a.commitTransaction!()).rejects.toBeInstanceOf(ProducerFencedError);
    await a.disconnect().catch(() => undefined);
    await b.disconnect();
    await admin.disconnect();
    const log = env.broker.logManager.partition(output, 0)!;
    expect(log.lastStableOffset).toBe(log.highWatermark);
    const read: string[] = [];
    await clients.readPartition(
      output,
      0,
      0,
      (records) => void read.push(...records.map((r) => r.value!.toString())),
    );
    expect(read).toEqual(['committed-1', 'committed-2', 'committed-3']);
    await consumer.disconnect();
  });

  it('transactions open below committed records: endOffsets is the high watermark, readPartition waits for them, initTransactions aborts a predecessor, requireStable waits for staged offsets', async () => {
    const topic = t('open-txn');
    await createTopics(1, topic);
    const admin = clients.admin();
    await admin.connect();
    const keyed = (value: string) => record(topic, value, Buffer.from(value));
    const producer = (id: string) =>
      clients.producer({}, { transactionalId: t(id), transactionTimeoutMs: 60000 });
    const read = (into: string[]) =>
      clients.readPartition(
        topic,
        0,
        0,
        (records) => void into.push(...records.map((r) => r.value!.toString())),
      );
    const log = env.broker.logManager.partition(topic, 0)!;
    // 1. A transaction left open at offset 0, then a second producer's committed transaction after it.
    const open = producer('open');
    await open.connect();
    await open.beginTransaction!();
    await open.send([keyed('open-1')]);
    const other = producer('other');
    await other.connect();
    await other.beginTransaction!();
    await other.send([keyed('other-1'), keyed('other-2')]);
    await other.commitTransaction!();
    expect(log.lastStableOffset).toBe(0);
    expect(log.highWatermark).toBe(4);
    // The admin's end offset is the high watermark (Kafka's Admin#listOffsets, read_uncommitted).
    expect(await admin.endOffsets(topic)).toEqual(new Map([[0, 4]]));
    // A read to the end waits for the open transaction instead of stopping at the last stable
    // offset (which would leave out the committed records after it) ...
    const first: string[] = [];
    let firstDone = false;
    const reading = read(first).then(() => (firstDone = true));
    await new Promise((r) => setTimeout(r, 1000));
    expect(firstDone).toBe(false);
    // 2. ... until a new producer with its transactional id initialises its transactions: that
    // aborts the open one at once (before the new producer begins one).
    const successor = producer('open');
    await successor.connect();
    await successor.initTransactions!();
    expect(log.lastStableOffset).toBe(log.highWatermark);
    await reading;
    expect(first).toEqual(['other-1', 'other-2']);
    // The successor works: its transaction commits.
    await successor.beginTransaction!();
    await successor.send([keyed('successor-1')]);
    await successor.commitTransaction!();
    const all: string[] = [];
    await read(all);
    expect(all).toEqual(['other-1', 'other-2', 'successor-1']);
    // 3. Offsets staged by an open transaction: a require-stable fetch answers once it committed.
    const group = t('open-txn-group');
    await successor.beginTransaction!();
    await successor.send([keyed('successor-2')]);
    await successor.sendOffsetsToTransaction!([{ topic, partition: 0, offset: 3 }], outsideGroup(group));
    expect(await admin.committedOffsets(group, topic)).toEqual(new Map([[0, -1]]));
    let stable: Map<number, number> | undefined;
    const fetching = admin.committedOffsets(group, topic, { requireStable: true }).then((m) => (stable = m));
    await new Promise((r) => setTimeout(r, 800));
    expect(stable).toBeUndefined();
    await successor.commitTransaction!();
    expect(await fetching).toEqual(new Map([[0, 3]]));
    await Promise.all([open.disconnect().catch(() => undefined), other.disconnect(), successor.disconnect()]);
    await admin.disconnect();
  });

  it('a read_committed member joining while its group offsets are staged by an open transaction starts from them once committed (require-stable fetch)', async () => {
    const topic = t('stable-start');
    const group = t('stable-start-group');
    await createTopics(1, topic);
    const plain = clients.producer({});
    await plain.connect();
    await plain.send(Array.from({ length: 10 }, (_, i) => record(topic, `v${i}`)));
    await plain.disconnect();
    // Another producer stages offset 6 for the group (an instance frozen before its EndTxn).
    const txn = clients.producer({}, { transactionalId: t('stable-start-txn'), transactionTimeoutMs: 60000 });
    await txn.connect();
    await txn.beginTransaction!();
    await txn.sendOffsetsToTransaction!([{ topic, partition: 0, offset: 6 }], outsideGroup(group));
    const batches: FetchedBatch[] = [];
    const consumer = await startMember(
      { groupId: group, clientId: 'stable-start', isolationLevel: 'read_committed' },
      topic,
      async (b) => void (b.records.length && batches.push(b)),
    );
    // Without a require-stable fetch the member would start at once from the beginning (no offset
    // committed yet); it waits for the transaction instead.
    await new Promise((r) => setTimeout(r, 2500));
    expect(batches).toEqual([]);
    await txn.commitTransaction!();
    await txn.disconnect();
    await waitFor(() => batches.length > 0, 30000, 'the first batch');
    expect(batches[0].records[0].offset).toBe(6);
    await consumer.disconnect();
  });

  it('seek with the generation its offsets were read under: applied while the member is in it, dropped once it joined another one', async () => {
    // The exactly-once reset seeks to committed offsets it read; should the member rejoin the group
    // meanwhile, another member may have committed past them, and the new assignment starts from
    // the committed offsets: a seek read under the old generation must not send it back.
    const topic = t('seek-generation');
    const group = t('seek-generation-group');
    await createTopics(1, topic);
    const producer = clients.producer({});
    await producer.connect();
    await producer.send(Array.from({ length: 10 }, (_, i) => record(topic, `v${i}`)));
    /** Every member's partitions to the one whose userData is `keeper` (the first member). */
    const keeper: PartitionAssignor = (members, partitions, userData) => {
      const out = new Map(members.map((m) => [m, new Map<string, number[]>()]));
      const k = members.find((m) => userData?.get(m)?.toString() === 'keeper') ?? members[0];
      for (const [name, n] of partitions)
        out.get(k)!.set(
          name,
          Array.from({ length: n }, (_, p) => p),
        );
      return out;
    };
    const offsets: number[] = [];
    let assignments = 0;
    const consumer = await startMember(
      { groupId: group, clientId: 'seek-keeper', assignor: keeper, userData: () => Buffer.from('keeper') },
      topic,
      async (b) => void offsets.push(...b.records.map((r) => r.offset)),
      { onAssigned: () => void assignments++ },
    );
    await waitFor(() => offsets.length === 10, 30000, 'the first ten records');
    await consumer.commit([{ topic, partition: 0, offset: 10 }]);
    const first = consumer.groupMetadata!().generationId;
    expect(first).toBeGreaterThanOrEqual(0);
    // In the same generation the seek is applied.
    consumer.seek!([{ topic, partition: 0, offset: 4 }], first);
    await waitFor(() => offsets.length === 16, 30000, 'offsets 4..9 again');
    expect(offsets.slice(10)).toEqual([4, 5, 6, 7, 8, 9]);
    // Another member joins: a new generation, the keeper keeps the partition.
    const before = assignments;
    await startMember(
      { groupId: group, clientId: 'seek-other', assignor: keeper, userData: () => Buffer.from('other') },
      topic,
      async () => undefined,
    );
    await waitFor(
      () => assignments > before && consumer.groupMetadata!().generationId > first,
      60000,
      'the keeper in the next generation',
    );
    // A seek read under the first generation is dropped: the member goes on from the committed offset.
    consumer.seek!([{ topic, partition: 0, offset: 0 }], first);
    await producer.send([record(topic, 'v10')]);
    await waitFor(() => offsets.includes(10), 30000, 'the next record');
    await new Promise((r) => setTimeout(r, 500));
    expect(offsets.slice(16)).toEqual([10]);
    await producer.disconnect();
  });

  /**
   * Removes member `memberId` from `groupId` at the coordinator (the only broker) with a LeaveGroup
   * naming it (v3+, KIP-345), as the coordinator does when the member's session expires: the member
   * is not told until its next heartbeat is refused (UNKNOWN_MEMBER_ID).
   */
  const evict = async (groupId: string, memberId: string) => {
    const pk = platformaticKafka();
    const [host, port] = env.brokers[0].split(':');
    const connection = new pk.Connection('contract-evict');
    await connection.connect(host, Number(port));
    try {
      await pk.leaveGroupV5.api.async(connection, groupId, [
        { memberId, groupInstanceId: null, reason: 'test' },
      ]);
    } finally {
      await connection.close();
    }
  };

  /** The rebalance protocols the client has (kafkajs: eager only). */
  const protocols: Array<'eager' | 'cooperative'> =
    client === 'kafkajs' ? ['eager'] : ['eager', 'cooperative'];

  it.each(protocols)(
    'rebalance (%s): onJoining is called before each rejoin of a rebalance: every new generation follows an onJoining',
    async (protocol) => {
      // Kafka Streams' TaskManager.handleRebalanceStart runs as the consumer prepares each JoinGroup
      // (StreamsPartitionAssignor.subscriptionUserData): the runtime holds its commits from there
      // until onAssigned / onLost (StreamThread.rebalanceInProgress). B joins and leaves a group of A.
      const topic = t(`joining-${protocol}`);
      const group = t(`joining-group-${protocol}`);
      await createTopics(4, topic);
      type Event = { event: 'joining' | 'assigned' | 'rebalancing' | 'lost'; generation: number };
      const events: Event[] = [];
      const self: { member?: StreamsConsumer } = {};
      const generation = () => self.member?.groupMetadata?.().generationId ?? -1;
      const listener: ConsumerListener = {
        onAssigned: () => void events.push({ event: 'assigned', generation: generation() }),
        onRebalancing: () => void events.push({ event: 'rebalancing', generation: generation() }),
        onLost: () => void events.push({ event: 'lost', generation: generation() }),
        onJoining: () => void events.push({ event: 'joining', generation: generation() }),
      };
      const options = { ...FAST_GROUP, sessionTimeout: 30000, rebalanceTimeout: 30000 };
      const settings = { groupId: group, options, rebalanceProtocol: protocol };
      const member = await startMember(
        { ...settings, clientId: 'joining-a' },
        topic,
        async () => undefined,
        listener,
      );
      self.member = member;
      const assigned = () => events.filter((e) => e.event === 'assigned');
      await waitFor(() => assigned().length > 0, 30000, "A's first assignment");
      const first = generation();
      const from = events.length;
      const bAssigned: Array<Map<string, number[]>> = [];
      const other = await startMember({ ...settings, clientId: 'joining-b' }, topic, async () => undefined, {
        onAssigned: (a) => void bAssigned.push(a),
      });
      const owned = (a: Map<string, number[]> | undefined) => a?.get(topic)?.length ?? 0;
      await waitFor(
        () => owned(bAssigned.at(-1)) === 2 && generation() > first,
        60000,
        'B assigned two partitions',
      );
      await other.disconnect();
      const generationWithB = generation();
      await waitFor(() => generation() > generationWithB, 60000, 'the rebalance after B left');
      await waitFor(
        () => assigned().at(-1)?.generation === generation(),
        30000,
        'A assigned in its last generation',
      );
      // Every generation A entered after its first was prepared by an onJoining since its last
      // assignment (under the cooperative protocol also the follow-up join after a revocation).
      const session = events.slice(from);
      let joined = false;
      let last = first;
      const unprepared: Event[] = [];
      for (const e of session) {
        if (e.event === 'joining') joined = true;
        if (e.event !== 'assigned' || e.generation === last) continue;
        if (!joined) unprepared.push(e);
        joined = false;
        last = e.generation;
      }
      expect(unprepared).toEqual([]);
      expect(session.filter((e) => e.event === 'lost')).toEqual([]);
      // Eager: each rebalance revokes everything first (the runtime's commit), then the JoinGroup.
      if (protocol === 'eager') {
        const kinds = session.map((e) => e.event).filter((e, i, all) => e !== all[i - 1]);
        expect(kinds.slice(0, 3)).toEqual(['rebalancing', 'joining', 'assigned']);
      }
      await member.disconnect();
    },
  );

  it('a member dropped by the coordinator (its session gone) reports its partitions lost before the next assignment; rebalances it took part in do not', async () => {
    // Kafka's onPartitionsLost: the client rejoins at once, as a new member, without the revocation
    // (onRebalancing) the runtime commits in; the partitions may have been processed by another
    // member meanwhile, so the runtime closes its tasks dirty (see StreamThread.onLost).
    const topic = t('lost');
    const group = t('lost-group');
    await createTopics(2, topic);
    const events: string[] = [];
    const listener: ConsumerListener = {
      onAssigned: () => void events.push('assigned'),
      onRebalancing: () => void events.push('rebalancing'),
      onLost: () => void events.push('lost'),
      onJoining: () => void events.push('joining'),
    };
    // Sessions long enough that only the test drops a member, however loaded the machine.
    const options = { ...FAST_GROUP, sessionTimeout: 30000, rebalanceTimeout: 30000 };
    const consumer = await startMember(
      { groupId: group, clientId: 'lost-m1', options },
      topic,
      async () => undefined,
      listener,
    );
    const assigned = () => events.filter((e) => e === 'assigned').length;
    await waitFor(() => assigned() === 1, 30000, 'the first assignment');
    // Another member joins and leaves: two rebalances with their revocation, nothing lost.
    const other = await startMember(
      { groupId: group, clientId: 'lost-m2', options },
      topic,
      async () => undefined,
    );
    await waitFor(() => assigned() === 2, 60000, 'the assignment with the second member');
    await other.disconnect();
    await waitFor(() => assigned() === 3, 60000, 'the assignment after it left');
    expect(events).not.toContain('lost');
    expect(events.filter((e) => e === 'rebalancing').length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e === 'joining').length).toBeGreaterThanOrEqual(2);

    const { memberId } = consumer.groupMetadata!();
    const before = events.length;
    await evict(group, memberId);
    await waitFor(() => assigned() === 4, 60000, 'the assignment after the member was dropped');
    // Lost, then assigned: no revocation in between (the member had nothing to commit for). kafkajs
    // rejoins at once (its patch's beforeRejoin, hence onJoining, runs only for a rebalance it is
    // told of); @platformatic/kafka calls onJoining before every JoinGroup, this one's too.
    const seen = events.slice(before).filter((e, i, all) => e !== all[i - 1]);
    expect(seen).toEqual(client === 'kafkajs' ? ['lost', 'assigned'] : ['joining', 'lost', 'assigned']);
    expect(consumer.groupMetadata!().memberId).not.toBe(memberId);
    await consumer.disconnect();
  });

  it('SHUTDOWN_APPLICATION: a member joining with the shutdown request makes every member report it', async () => {
    const topic = t('shutdown');
    await createTopics(2, topic);
    const groupId = t('shutdown-group');
    let runningAssigned = false;
    let told = 0;
    let requesterTold = 0;
    const member = await startMember({ groupId, clientId: 'member' }, topic, async () => undefined, {
      onAssigned: () => (runningAssigned = true),
      onShutdownRequested: () => told++,
    });
    await waitFor(() => runningAssigned, 30000, 'member assigned');
    const requester = await startMember(
      { groupId, clientId: 'requester', assignor: () => new Map(), requestShutdown: true },
      topic,
      async () => undefined,
      { onShutdownRequested: () => requesterTold++ },
    );
    await waitFor(() => told > 0 && requesterTold > 0, 60000, 'both told to shut down');
    await requester.disconnect();
    await member.disconnect();
  });
});
