/**
 * The group APIs' older versions on the wire (kafkajs and librdkafka send the
 * newest ones we advertise), through a raw TCP client: each request is encoded
 * by hand after the Kafka protocol guide and each response decoded field by field.
 */
import type { EmbeddedKafka } from '../../src';
import type { Decoder } from '../../src/protocol/decoder';
import type { Encoder } from '../../src/protocol/encoder';
import { ErrorCode } from '../../src/protocol/error-codes';
import { kafkaClient, startBroker } from './support/broker';
import { RawClient } from './support/raw-client';

const API = {
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  DeleteGroups: 42,
} as const;

const TOPIC = 'raw-topic';

function readOffsetFetchTopics(d: Decoder) {
  return d.readArray((t) => ({
    name: t.readString(),
    partitions: t.readArray((p) => ({
      partition: p.readInt32(),
      offset: p.readInt64(),
      metadata: p.readNullableString(),
      errorCode: p.readInt16(),
    })),
  }));
}

function readCommitErrors(d: Decoder): number[] {
  return d
    .readArray((t) => {
      t.readString();
      return t.readArray((p) => {
        p.readInt32();
        return p.readInt16();
      });
    })
    .flat();
}

describe('group APIs, old versions on the wire', () => {
  let broker: EmbeddedKafka;
  let client: RawClient;

  beforeAll(async () => {
    broker = await startBroker();
    const admin = kafkaClient(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
    client = await RawClient.connect(broker.bootstrapServers);
  });

  afterAll(async () => {
    client.close();
    await broker.stop();
  });

  it('FindCoordinator v0 and v1 name this node', async () => {
    const v0 = await client.request(API.FindCoordinator, 0, (e) => e.writeString('raw-group'));
    expect([v0.readInt16(), v0.readInt32(), v0.readString(), v0.readInt32()]).toEqual([
      0,
      1,
      '127.0.0.1',
      broker.port,
    ]);
    const v1 = await client.request(API.FindCoordinator, 1, (e) => e.writeString('raw-group').writeInt8(0));
    expect([
      v1.readInt32(),
      v1.readInt16(),
      v1.readNullableString(),
      v1.readInt32(),
      v1.readString(),
      v1.readInt32(),
    ]).toEqual([0, 0, null, 1, '127.0.0.1', broker.port]);
    const bad = await client.request(API.FindCoordinator, 1, (e) => e.writeString('raw-group').writeInt8(7));
    expect([bad.readInt32(), bad.readInt16()]).toEqual([0, ErrorCode.INVALID_REQUEST]);
  });

  it('runs a whole group lifecycle with v0 JoinGroup/SyncGroup/Heartbeat/LeaveGroup and v1/v2 offsets', async () => {
    const join = await client.request(API.JoinGroup, 0, (e) =>
      e
        .writeString('raw-group')
        .writeInt32(10_000)
        .writeString('')
        .writeString('consumer')
        .writeArray([{ name: 'range', metadata: Buffer.from('sub') }], (pe, p) =>
          pe.writeString(p.name).writeBytes(p.metadata),
        ),
    );
    const [error, generation, protocol, leader, memberId] = [
      join.readInt16(),
      join.readInt32(),
      join.readString(),
      join.readString(),
      join.readString(),
    ];
    const members = join.readArray((m) => [m.readString(), m.readBytes().toString()]);
    expect(error).toBe(0);
    expect(generation).toBe(1);
    expect(protocol).toBe('range');
    expect(leader).toBe(memberId);
    expect(memberId).toMatch(/^raw-client-/);
    expect(members).toEqual([[memberId, 'sub']]);

    const sync = await client.request(API.SyncGroup, 0, (e) =>
      e
        .writeString('raw-group')
        .writeInt32(generation)
        .writeString(memberId)
        .writeArray([memberId], (ae, id) => ae.writeString(id).writeBytes(Buffer.from('assigned'))),
    );
    expect([sync.readInt16(), sync.readBytes().toString()]).toEqual([0, 'assigned']);

    const heartbeat = (gen: number, version: number) =>
      client.request(API.Heartbeat, version, (e: Encoder) =>
        e.writeString('raw-group').writeInt32(gen).writeString(memberId),
      );
    expect((await heartbeat(generation, 0)).readInt16()).toBe(0);
    expect((await heartbeat(generation + 5, 0)).readInt16()).toBe(ErrorCode.ILLEGAL_GENERATION);
    const hb1 = await heartbeat(generation, 1);
    expect([hb1.readInt32(), hb1.readInt16()]).toEqual([0, 0]);

    // OffsetCommit v1: per-partition commit timestamp.
    const commitV1 = await client.request(API.OffsetCommit, 1, (e) =>
      e
        .writeString('raw-group')
        .writeInt32(generation)
        .writeString(memberId)
        .writeArray([TOPIC, 'missing-topic'], (te, name) =>
          te
            .writeString(name)
            .writeArray([0], (pe) =>
              pe.writeInt32(0).writeInt64(41).writeInt64(-1).writeNullableString('v1-meta'),
            ),
        ),
    );
    expect(readCommitErrors(commitV1)).toEqual([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    // OffsetCommit v2: retention time; a stale generation is refused.
    const commitV2 = (gen: number) =>
      client.request(API.OffsetCommit, 2, (e) =>
        e
          .writeString('raw-group')
          .writeInt32(gen)
          .writeString(memberId)
          .writeInt64(-1)
          .writeArray([TOPIC], (te, name) =>
            te
              .writeString(name)
              .writeArray([1], (pe) => pe.writeInt32(1).writeInt64(17).writeNullableString(null)),
          ),
      );
    expect(readCommitErrors(await commitV2(generation))).toEqual([0]);
    expect(readCommitErrors(await commitV2(generation - 1))).toEqual([ErrorCode.ILLEGAL_GENERATION]);

    // OffsetFetch v1 (explicit partitions) and v2 (null = all, top-level error code).
    const fetchV1 = await client.request(API.OffsetFetch, 1, (e) =>
      e
        .writeString('raw-group')
        .writeArray([TOPIC], (te, name) => te.writeString(name).writeInt32Array([0, 1])),
    );
    expect(readOffsetFetchTopics(fetchV1)).toEqual([
      {
        name: TOPIC,
        partitions: [
          { partition: 0, offset: 41, metadata: 'v1-meta', errorCode: 0 },
          { partition: 1, offset: 17, metadata: '', errorCode: 0 },
        ],
      },
    ]);
    const fetchV2 = await client.request(API.OffsetFetch, 2, (e) =>
      e.writeString('raw-group').writeInt32(-1),
    );
    const allTopics = readOffsetFetchTopics(fetchV2);
    expect(fetchV2.readInt16()).toBe(0);
    expect(allTopics[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, 41],
      [1, 17],
    ]);

    // DescribeGroups v0 and ListGroups v0.
    const describe = await client.request(API.DescribeGroups, 0, (e) => e.writeStringArray(['raw-group']));
    const groups = describe.readArray((g) => ({
      errorCode: g.readInt16(),
      groupId: g.readString(),
      state: g.readString(),
      protocolType: g.readString(),
      protocol: g.readString(),
      members: g.readArray((m) => [
        m.readString(),
        m.readString(),
        m.readString(),
        m.readBytes().toString(),
        m.readBytes().toString(),
      ]),
    }));
    expect(groups).toEqual([
      {
        errorCode: 0,
        groupId: 'raw-group',
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'range',
        members: [[memberId, 'raw-client', '/127.0.0.1', 'sub', 'assigned']],
      },
    ]);
    const list = await client.request(API.ListGroups, 0, () => {});
    expect(list.readInt16()).toBe(0);
    expect(list.readArray((g) => [g.readString(), g.readString()])).toContainEqual(['raw-group', 'consumer']);

    // DeleteGroups refuses a live group; LeaveGroup v0 empties it; then it can be deleted.
    const deleteGroups = () => client.request(API.DeleteGroups, 0, (e) => e.writeStringArray(['raw-group']));
    const refused = await deleteGroups();
    expect(refused.readInt32()).toBe(0);
    expect(refused.readArray((r) => [r.readString(), r.readInt16()])).toEqual([
      ['raw-group', ErrorCode.NON_EMPTY_GROUP],
    ]);
    const leave = await client.request(API.LeaveGroup, 0, (e) =>
      e.writeString('raw-group').writeString(memberId),
    );
    expect(leave.readInt16()).toBe(0);
    const leaveAgain = await client.request(API.LeaveGroup, 1, (e) =>
      e.writeString('raw-group').writeString(memberId),
    );
    expect([leaveAgain.readInt32(), leaveAgain.readInt16()]).toEqual([0, ErrorCode.UNKNOWN_MEMBER_ID]);
    const deleted = await deleteGroups();
    deleted.readInt32();
    expect(deleted.readArray((r) => [r.readString(), r.readInt16()])).toEqual([['raw-group', 0]]);
  });

  it('answers a first JoinGroup v4 with MEMBER_ID_REQUIRED and the member id to rejoin with', async () => {
    const join = await client.request(API.JoinGroup, 4, (e) =>
      e
        .writeString('raw-v4-group')
        .writeInt32(10_000)
        .writeInt32(20_000)
        .writeString('')
        .writeString('consumer')
        .writeArray(['range'], (pe, name) => pe.writeString(name).writeBytes(Buffer.alloc(0))),
    );
    expect(join.readInt32()).toBe(0); // throttle
    expect(join.readInt16()).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(join.readInt32()).toBe(-1);
    expect(join.readString()).toBe('');
    expect(join.readString()).toBe('');
    expect(join.readString()).toMatch(/^raw-client-[0-9a-f-]{36}$/);
    expect(join.readArray((m) => m.readString())).toEqual([]);
  });

  it('commits with OffsetCommit v0 outside any group and reads it back with OffsetFetch v0', async () => {
    const commit = await client.request(API.OffsetCommit, 0, (e) =>
      e
        .writeString('v0-group')
        .writeArray([TOPIC], (te, name) =>
          te
            .writeString(name)
            .writeArray([0], (pe) => pe.writeInt32(0).writeInt64(3).writeNullableString('zk')),
        ),
    );
    expect(readCommitErrors(commit)).toEqual([0]);
    const fetch = await client.request(API.OffsetFetch, 0, (e) =>
      e
        .writeString('v0-group')
        .writeArray([TOPIC], (te, name) => te.writeString(name).writeInt32Array([0, 1])),
    );
    expect(readOffsetFetchTopics(fetch)[0]!.partitions).toEqual([
      { partition: 0, offset: 3, metadata: 'zk', errorCode: 0 },
      { partition: 1, offset: -1, metadata: '', errorCode: 0 },
    ]);
  });

  it('closes the connection on a truncated JoinGroup and keeps serving other clients', async () => {
    const bad = await RawClient.connect(broker.bootstrapServers);
    const reply = bad.request(API.JoinGroup, 5, (e) => e.writeString('raw-group').writeInt32(10_000));
    await expect(reply).rejects.toThrow('connection closed by the broker');
    bad.close();
    const list = await client.request(API.ListGroups, 2, () => {});
    expect([list.readInt32(), list.readInt16()]).toEqual([0, 0]);
  });
});
