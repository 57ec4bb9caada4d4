/**
 * Metadata v5-v12 over TCP with exactly chosen bytes: the non-flexible v5-v8
 * layouts (kafkajs negotiates v6) and the flexible v9-v12 ones, with topic ids
 * (v10+) and lookup by id.
 */
import { EmbeddedKafka } from '../../src';
import { ErrorCode } from '../../src/protocol/error-codes';
import type { Decoder } from '../../src/protocol/decoder';
import { RawClient } from '../helpers/raw-client';

const OMITTED = -2147483648;

/** Reads a flexible (v9-v12) Metadata response, per the protocol guide's grammar. */
function readFlexible(d: Decoder, version: number) {
  const throttle = d.readInt32();
  const brokers = d.readCompactArray((x) => {
    const b = {
      nodeId: x.readInt32(),
      host: x.readCompactString(),
      port: x.readInt32(),
      rack: x.readCompactNullableString(),
    };
    x.readTaggedFields();
    return b;
  });
  const clusterId = d.readCompactNullableString();
  const controllerId = d.readInt32();
  const topics = d.readCompactArray((x) => {
    const errorCode = x.readInt16();
    const name = version >= 12 ? x.readCompactNullableString() : x.readCompactString();
    const topicId = version >= 10 ? x.readUuid() : undefined;
    const isInternal = x.readBoolean();
    const partitions = x.readCompactArray((y) => {
      const p = {
        errorCode: y.readInt16(),
        partition: y.readInt32(),
        leader: y.readInt32(),
        leaderEpoch: y.readInt32(),
        replicas: y.readCompactInt32Array(),
        isr: y.readCompactInt32Array(),
        offline: y.readCompactInt32Array(),
      };
      y.readTaggedFields();
      return p;
    });
    const ops = x.readInt32();
    x.readTaggedFields();
    return { errorCode, name, topicId, isInternal, partitions, ops };
  });
  const clusterOps = version <= 10 ? d.readInt32() : undefined;
  d.readTaggedFields();
  return { throttle, brokers, clusterId, controllerId, topics, clusterOps, rest: d.remaining() };
}

describe('Metadata v5-v12', () => {
  let broker: EmbeddedKafka;
  let client: RawClient;
  let port: number;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0 });
    port = Number(broker.bootstrapServers.split(':')[1]);
    client = await RawClient.connect(broker.bootstrapServers);
    await client.request(3, 4, (e) => e.writeArray(['m1'], (x, t) => x.writeString(t)).writeBoolean(true));
  });

  afterAll(async () => {
    client?.close();
    await broker?.stop();
  });

  it('v9 (first flexible) names the broker, the topic and its partition, with authorized operations when asked', async () => {
    const d = await client.request(
      3,
      9,
      (e) => {
        e.writeCompactArray(['m1'], (x, t) => x.writeCompactString(t).writeTaggedFields());
        e.writeBoolean(false).writeBoolean(true).writeBoolean(false).writeTaggedFields();
      },
      { flexible: true },
    );
    const r = readFlexible(d, 9);
    expect(r.rest).toBe(0);
    expect(r.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port, rack: null }]);
    expect(r.controllerId).toBe(1);
    expect(r.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.topics).toEqual([
      {
        errorCode: 0,
        name: 'm1',
        topicId: undefined,
        isInternal: false,
        partitions: [
          { errorCode: 0, partition: 0, leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], offline: [] },
        ],
        ops: OMITTED,
      },
    ]);
    // cluster operations requested: at least DESCRIBE (bit 8) and CREATE (bit 5)
    expect(r.clusterOps! & (1 << 8)).toBeTruthy();
    expect(r.clusterOps! & (1 << 5)).toBeTruthy();
  });

  it('v12 gives a stable non-zero topic id, finds the topic by that id, and answers UNKNOWN_TOPIC_ID with a null name', async () => {
    const byName = readFlexible(
      await client.request(
        3,
        12,
        (e) => {
          e.writeCompactArray(['m1', 'missing-topic'], (x, t) =>
            x.writeUuid('0'.repeat(32)).writeCompactString(t).writeTaggedFields(),
          );
          e.writeBoolean(false).writeBoolean(true).writeTaggedFields();
        },
        { flexible: true },
      ),
      12,
    );
    expect(byName.rest).toBe(0);
    expect(byName.clusterOps).toBeUndefined();
    const [m1, missing] = byName.topics;
    expect(m1!.topicId).toMatch(/^[0-9a-f]{32}$/);
    expect(m1!.topicId).not.toBe('0'.repeat(32));
    expect(m1!.ops & (1 << 3)).toBeTruthy(); // READ
    expect(missing).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      topicId: '0'.repeat(32),
    });

    const unknownId = 'ffffffffffffffffffffffffffffffff';
    const byId = readFlexible(
      await client.request(
        3,
        12,
        (e) => {
          e.writeCompactArray([m1!.topicId!, unknownId], (x, id) =>
            x.writeUuid(id).writeCompactNullableString(null).writeTaggedFields(),
          );
          e.writeBoolean(false).writeBoolean(false).writeTaggedFields();
        },
        { flexible: true },
      ),
      12,
    );
    expect(byId.topics.map((t) => [t.errorCode, t.name, t.topicId])).toEqual([
      [0, 'm1', m1!.topicId],
      [ErrorCode.UNKNOWN_TOPIC_ID, null, unknownId],
    ]);
  });

  it('v8 (non-flexible) writes leader epoch, offline replicas and both authorized-operations fields', async () => {
    const d = await client.request(3, 8, (e) => {
      e.writeArray(['m1'], (x, t) => x.writeString(t));
      e.writeBoolean(false).writeBoolean(false).writeBoolean(false);
    });
    d.readInt32();
    d.readArray((x) => [x.readInt32(), x.readString(), x.readInt32(), x.readNullableString()]);
    expect(d.readNullableString()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(d.readInt32()).toBe(1);
    const topics = d.readArray((x) => ({
      errorCode: x.readInt16(),
      name: x.readString(),
      internal: x.readBoolean(),
      partitions: x.readArray((y) => [
        y.readInt16(),
        y.readInt32(),
        y.readInt32(),
        y.readInt32(),
        y.readInt32Array(),
        y.readInt32Array(),
        y.readInt32Array(),
      ]),
      ops: x.readInt32(),
    }));
    expect(topics).toEqual([
      { errorCode: 0, name: 'm1', internal: false, partitions: [[0, 0, 1, 0, [1], [1], []]], ops: OMITTED },
    ]);
    expect(d.readInt32()).toBe(OMITTED);
    expect(d.remaining()).toBe(0);
  });

  it('kafkajs (Metadata v6) still lists and creates topics', async () => {
    const { Kafka, logLevel } = await import('kafkajs');
    const admin = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'm2', numPartitions: 3 }] });
      const md = await admin.fetchTopicMetadata({ topics: ['m2'] });
      expect(md.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    } finally {
      await admin.disconnect();
    }
  });
});
