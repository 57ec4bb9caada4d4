/**
 * kafkajs consumer groups against the embedded broker over TCP: three members,
 * one joining and one leaving while records are produced and consumed.
 */
import { AssignerProtocol, type Consumer } from 'kafkajs';
import type { EmbeddedKafka } from '../../src';
import { kafkaClient, startBroker, waitFor } from './support/broker';

const TOPIC = 'rebalance-orders';
const PARTITIONS = 6;
const BATCHES = 30;
const PER_BATCH = 60;
const TOTAL = BATCHES * PER_BATCH;
const GROUP = 'rebalance-group';

interface Delivery {
  readonly consumer: string;
  readonly partition: number;
  readonly offset: number;
  readonly seq: number;
}

describe('kafkajs consumer group of three members, joining and leaving while consuming', () => {
  let broker: EmbeddedKafka;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    broker = await startBroker();
  });

  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    await broker.stop();
  });

  it('delivers every record, keeps per-partition order and never gives a partition to two members at once', async () => {
    const kafka = kafkaClient(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });

    const deliveries: Delivery[] = [];
    const inFlight = new Map<number, string>();
    const violations: string[] = [];

    async function startConsumer(name: string): Promise<Consumer> {
      const consumer = kafka.consumer({
        groupId: GROUP,
        sessionTimeout: 10_000,
        rebalanceTimeout: 20_000,
        heartbeatInterval: 300,
        maxWaitTimeInMs: 200,
      });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message, heartbeat }) => {
          const holder = inFlight.get(partition);
          if (holder !== undefined && holder !== name)
            violations.push(`partition ${partition} held by ${holder} and ${name}`);
          inFlight.set(partition, name);
          try {
            const seq = JSON.parse(message.value!.toString()).seq as number;
            deliveries.push({ consumer: name, partition, offset: Number(message.offset), seq });
            await new Promise((r) => setTimeout(r, 1));
            await heartbeat();
          } finally {
            inFlight.delete(partition);
          }
        },
      });
      return consumer;
    }

    const unique = () => new Set(deliveries.map((d) => `${d.partition}:${d.offset}`)).size;

    const c1 = await startConsumer('c1');
    const c2 = await startConsumer('c2');

    const producer = kafka.producer();
    await producer.connect();
    const perPartitionSeq = new Array<number>(PARTITIONS).fill(0);
    const producing = (async () => {
      for (let b = 0; b < BATCHES; b++) {
        const messages = Array.from({ length: PER_BATCH }, (_, i) => {
          const partition = (b * PER_BATCH + i) % PARTITIONS;
          const seq = perPartitionSeq[partition]!++;
          return { partition, key: `k${partition}`, value: JSON.stringify({ partition, seq }) };
        });
        await producer.send({ topic: TOPIC, acks: -1, messages });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await waitFor(() => unique() >= TOTAL / 4, 60_000, 'a quarter of the records');
    const c3 = await startConsumer('c3');
    await waitFor(
      () => unique() >= TOTAL / 2 && deliveries.some((d) => d.consumer === 'c3'),
      60_000,
      'c3 to take part',
    );
    await c2.disconnect();
    const c2LastIndex = deliveries.length;
    await producing;
    await waitFor(() => unique() >= TOTAL, 90_000, 'every record');

    expect(violations).toEqual([]);
    // Every produced record was delivered.
    const ends = await admin.fetchTopicOffsets(TOPIC);
    expect(ends.reduce((n, p) => n + Number(p.high), 0)).toBe(TOTAL);
    for (const p of ends) {
      const offsets = new Set(deliveries.filter((d) => d.partition === p.partition).map((d) => d.offset));
      expect(offsets.size).toBe(Number(p.high));
    }
    // Per partition, deliveries follow log order: each one is the next offset, or (after a rebalance,
    // at-least-once) a restart from the last committed offset, never a skip ahead; record order matches offsets.
    let redelivered = 0;
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const list = deliveries.filter((d) => d.partition === partition);
      expect(list[0]!.offset).toBe(0);
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const cur = list[i]!;
        expect(cur.offset).toBeLessThanOrEqual(prev.offset + 1);
        if (cur.offset <= prev.offset) redelivered += prev.offset + 1 - cur.offset;
        expect(cur.seq).toBe(cur.offset);
      }
    }
    // Redeliveries only happen around the few rebalances, one uncommitted batch at most each.
    expect(redelivered).toBeLessThan(TOTAL / 4);
    // c2 consumed nothing after it left; all three took part.
    expect(deliveries.slice(c2LastIndex).some((d) => d.consumer === 'c2')).toBe(false);
    expect(new Set(deliveries.map((d) => d.consumer))).toEqual(new Set(['c1', 'c2', 'c3']));

    // The final generation: two members, disjoint assignments covering every partition.
    await waitFor(
      async () => {
        const g = (await admin.describeGroups([GROUP])).groups[0]!;
        return g.state === 'Stable' && g.members.length === 2;
      },
      30_000,
      'a stable group of two',
    );
    const group = (await admin.describeGroups([GROUP])).groups[0]!;
    const owned = group.members.flatMap(
      (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment[TOPIC] ?? [],
    );
    expect([...owned].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(group.members.map((m) => m.clientId)).toEqual(['groups-test', 'groups-test']);
    expect(group.members.every((m) => m.clientHost === '/127.0.0.1')).toBe(true);

    await Promise.all([c1.disconnect(), c3.disconnect()]);
    await producer.disconnect();
    // Once everyone left the group is Empty, and the committed offsets are at the log end.
    const after = (await admin.describeGroups([GROUP])).groups[0]!;
    expect(after.state).toBe('Empty');
    const committed = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    for (const p of committed[0]!.partitions) {
      expect(p.offset).toBe(ends.find((e) => e.partition === p.partition)!.high);
    }
    await admin.disconnect();
  });
});
