/**
 * The group APIs' flexible versions on the wire, through a raw TCP client: a
 * whole lifecycle of one static member, each request encoded by hand after the
 * Kafka protocol guide and each response decoded field by field.
 */
import type { EmbeddedKafka } from '../../src';
import type { Decoder } from '../../src/protocol/decoder';
import type { Encoder } from '../../src/protocol/encoder';
import { ErrorCode } from '../../src/protocol/error-codes';
import { startBroker } from '../groups/support/broker';
import { RawClient } from '../helpers/raw-client';

const flexible = { flexible: true };
const TOPIC = 'flex-groups';
const GROUP = 'flex-group';
const INSTANCE = 'pod-0';

function readJoinV9(d: Decoder) {
  const r = {
    throttle: d.readInt32(),
    errorCode: d.readInt16(),
    generationId: d.readInt32(),
    protocolType: d.readCompactNullableString(),
    protocolName: d.readCompactNullableString(),
    leader: d.readCompactString(),
    skipAssignment: d.readBoolean(),
    memberId: d.readCompactString(),
    members: d.readCompactArray((x) => {
      const m = {
        memberId: x.readCompactString(),
        instanceId: x.readCompactNullableString(),
        metadata: x.readCompactBytes(),
      };
      x.readTaggedFields();
      return m;
    }),
  };
  d.readTaggedFields();
  expect(d.remaining()).toBe(0);
  return r;
}

const joinV9 = (memberId: string) => (e: Encoder) => {
  e.writeCompactString(GROUP).writeInt32(10000).writeInt32(10000).writeCompactString(memberId);
  e.writeCompactNullableString(INSTANCE).writeCompactString('consumer');
  e.writeCompactArray(['range'], (x, n) =>
    x.writeCompactString(n).writeCompactBytes(Buffer.from('sub')).writeTaggedFields(),
  );
  e.writeCompactNullableString('test').writeTaggedFields();
};

const syncV5 = (memberId: string, generationId: number, protocolName: string) => (e: Encoder) => {
  e.writeCompactString(GROUP)
    .writeInt32(generationId)
    .writeCompactString(memberId)
    .writeCompactNullableString(INSTANCE);
  e.writeCompactNullableString('consumer').writeCompactNullableString(protocolName);
  e.writeCompactArray([memberId], (x, m) =>
    x.writeCompactString(m).writeCompactBytes(Buffer.from('assigned')).writeTaggedFields(),
  );
  e.writeTaggedFields();
};

function readSyncV5(d: Decoder) {
  const r = {
    throttle: d.readInt32(),
    errorCode: d.readInt16(),
    protocolType: d.readCompactNullableString(),
    protocolName: d.readCompactNullableString(),
    assignment: d.readCompactBytes().toString(),
  };
  d.readTaggedFields();
  expect(d.remaining()).toBe(0);
  return r;
}

function readOffsetFetchTopics(x: Decoder) {
  return x.readCompactArray((t) => {
    const name = t.readCompactString();
    const partitions = t.readCompactArray((p) => {
      const r = {
        partition: p.readInt32(),
        offset: p.readInt64(),
        leaderEpoch: p.readInt32(),
        metadata: p.readCompactNullableString(),
        errorCode: p.readInt16(),
      };
      p.readTaggedFields();
      return r;
    });
    t.readTaggedFields();
    return { name, partitions };
  });
}

describe('group APIs, flexible versions on the wire', () => {
  let broker: EmbeddedKafka;
  let client: RawClient;

  beforeAll(async () => {
    broker = await startBroker();
    client = await RawClient.connect(broker.bootstrapServers);
    await client.request(3, 4, (e) => e.writeArray([TOPIC], (x, t) => x.writeString(t)).writeBoolean(true));
  });

  afterAll(async () => {
    client.close();
    await broker.stop();
  });

  it('FindCoordinator v3 names this node, v4 answers every key of a batch', async () => {
    const port = Number(broker.bootstrapServers.split(':')[1]);
    const v3 = await client.request(
      10,
      3,
      (e) => e.writeCompactString(GROUP).writeInt8(0).writeTaggedFields(),
      flexible,
    );
    expect([
      v3.readInt32(),
      v3.readInt16(),
      v3.readCompactNullableString(),
      v3.readInt32(),
      v3.readCompactString(),
      v3.readInt32(),
    ]).toEqual([0, 0, null, 1, '127.0.0.1', port]);
    const v4 = await client.request(
      10,
      4,
      (e) => e.writeInt8(0).writeCompactStringArray(['a', 'b']).writeTaggedFields(),
      flexible,
    );
    v4.readInt32();
    const coordinators = v4.readCompactArray((x) => {
      const c = [
        x.readCompactString(),
        x.readInt32(),
        x.readCompactString(),
        x.readInt32(),
        x.readInt16(),
        x.readCompactNullableString(),
      ];
      x.readTaggedFields();
      return c;
    });
    expect(coordinators).toEqual([
      ['a', 1, '127.0.0.1', port, 0, null],
      ['b', 1, '127.0.0.1', port, 0, null],
    ]);
    const bad = await client.request(
      10,
      4,
      (e) => e.writeInt8(7).writeCompactStringArray(['a']).writeTaggedFields(),
      flexible,
    );
    bad.readInt32();
    expect(
      bad.readCompactArray((x) => [
        x.readCompactString(),
        x.readInt32(),
        x.readCompactString(),
        x.readInt32(),
        x.readInt16(),
      ])[0]![4],
    ).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('runs a static member through join, sync, heartbeat, commit, fetch, describe, list and leave', async () => {
    // JoinGroup v9: a static member (group.instance.id) joins at once, with no
    // MEMBER_ID_REQUIRED round trip (as in Kafka), under an id prefixed by its instance id.
    const joined = readJoinV9(await client.request(11, 9, joinV9(''), flexible));
    const memberId = joined.memberId;
    expect(memberId.startsWith(`${INSTANCE}-`)).toBe(true);
    expect(joined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: memberId,
      skipAssignment: false,
      memberId,
    });
    expect(joined.members).toEqual([{ memberId, instanceId: INSTANCE, metadata: Buffer.from('sub') }]);

    // SyncGroup v5: a wrong protocol name is refused, the right one gets the assignment.
    const wrong = readSyncV5(await client.request(14, 5, syncV5(memberId, 1, 'roundrobin'), flexible));
    expect(wrong.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const synced = readSyncV5(await client.request(14, 5, syncV5(memberId, 1, 'range'), flexible));
    expect(synced).toEqual({
      throttle: 0,
      errorCode: 0,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment: 'assigned',
    });

    // Heartbeat v4
    const hb = await client.request(
      12,
      4,
      (e) =>
        e
          .writeCompactString(GROUP)
          .writeInt32(1)
          .writeCompactString(memberId)
          .writeCompactNullableString(INSTANCE)
          .writeTaggedFields(),
      flexible,
    );
    expect([hb.readInt32(), hb.readInt16()]).toEqual([0, 0]);
    hb.readTaggedFields();
    expect(hb.remaining()).toBe(0);

    // OffsetCommit v9 (leader epoch and metadata per partition)
    const commit = await client.request(
      8,
      9,
      (e) => {
        e.writeCompactString(GROUP)
          .writeInt32(1)
          .writeCompactString(memberId)
          .writeCompactNullableString(INSTANCE);
        e.writeCompactArray([TOPIC], (x, t) => {
          x.writeCompactString(t);
          x.writeCompactArray([0], (y, p) =>
            y.writeInt32(p).writeInt64(42).writeInt32(0).writeCompactNullableString('m').writeTaggedFields(),
          );
          x.writeTaggedFields();
        });
        e.writeTaggedFields();
      },
      flexible,
    );
    commit.readInt32();
    const commitErrors = commit.readCompactArray((x) => {
      x.readCompactString();
      const codes = x.readCompactArray((y) => {
        y.readInt32();
        const code = y.readInt16();
        y.readTaggedFields();
        return code;
      });
      x.readTaggedFields();
      return codes;
    });
    commit.readTaggedFields();
    expect(commit.remaining()).toBe(0);
    expect(commitErrors).toEqual([[0]]);

    // OffsetFetch v6 (one group, all partitions) and v8 (two groups in one request)
    const v6 = await client.request(
      9,
      6,
      (e) =>
        e
          .writeCompactString(GROUP)
          .writeCompactNullableArray(null, () => {})
          .writeTaggedFields(),
      flexible,
    );
    v6.readInt32();
    expect(readOffsetFetchTopics(v6)).toEqual([
      {
        name: TOPIC,
        partitions: [{ partition: 0, offset: 42, leaderEpoch: -1, metadata: 'm', errorCode: 0 }],
      },
    ]);
    expect(v6.readInt16()).toBe(0);
    const v8 = await client.request(
      9,
      8,
      (e) => {
        e.writeCompactArray([GROUP, 'never-used'], (x, g) => {
          x.writeCompactString(g);
          x.writeCompactNullableArray([TOPIC], (y, t) =>
            y.writeCompactString(t).writeCompactInt32Array([0]).writeTaggedFields(),
          );
          x.writeTaggedFields();
        });
        e.writeBoolean(true).writeTaggedFields();
      },
      flexible,
    );
    v8.readInt32();
    const groups = v8.readCompactArray((x) => {
      const g = {
        groupId: x.readCompactString(),
        topics: readOffsetFetchTopics(x),
        errorCode: x.readInt16(),
      };
      x.readTaggedFields();
      return g;
    });
    expect(groups.map((g) => [g.groupId, g.errorCode, g.topics[0]!.partitions[0]!.offset])).toEqual([
      [GROUP, 0, 42],
      ['never-used', 0, -1],
    ]);

    // DescribeGroups v5 shows the member's instance id and, when asked, the authorized operations.
    const described = await client.request(
      15,
      5,
      (e) => e.writeCompactStringArray([GROUP]).writeBoolean(true).writeTaggedFields(),
      flexible,
    );
    described.readInt32();
    const [group] = described.readCompactArray((x) => {
      const g = {
        errorCode: x.readInt16(),
        groupId: x.readCompactString(),
        state: x.readCompactString(),
        protocolType: x.readCompactString(),
        protocol: x.readCompactString(),
        members: x.readCompactArray((y) => {
          const m = [
            y.readCompactString(),
            y.readCompactNullableString(),
            y.readCompactString(),
            y.readCompactString(),
            y.readCompactBytes().toString(),
            y.readCompactBytes().toString(),
          ];
          y.readTaggedFields();
          return m;
        }),
        ops: x.readInt32(),
      };
      x.readTaggedFields();
      return g;
    });
    expect(group).toMatchObject({
      errorCode: 0,
      groupId: GROUP,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'range',
    });
    expect(group!.members).toEqual([[memberId, INSTANCE, 'raw-test', '/127.0.0.1', 'sub', 'assigned']]);
    expect(group!.ops & (1 << 8)).toBeTruthy(); // DESCRIBE

    // ListGroups v5 with a states filter (case-insensitive) and a types filter.
    const list = async (states: string[], types: string[]) => {
      const d = await client.request(
        16,
        5,
        (e) => e.writeCompactStringArray(states).writeCompactStringArray(types).writeTaggedFields(),
        flexible,
      );
      d.readInt32();
      expect(d.readInt16()).toBe(0);
      return d.readCompactArray((x) => {
        const g = [
          x.readCompactString(),
          x.readCompactString(),
          x.readCompactString(),
          x.readCompactString(),
        ];
        x.readTaggedFields();
        return g;
      });
    };
    expect(await list(['stable'], [])).toEqual([[GROUP, 'consumer', 'Stable', 'classic']]);
    expect(await list(['Empty'], [])).toEqual([]);
    expect(await list([], ['consumer'])).toEqual([]);

    // LeaveGroup v5 by instance id only; a wrong instance for a known member id is fenced.
    const leave = async (m: string, instance: string | null) => {
      const d = await client.request(
        13,
        5,
        (e) => {
          e.writeCompactString(GROUP);
          e.writeCompactArray([0], (x) =>
            x
              .writeCompactString(m)
              .writeCompactNullableString(instance)
              .writeCompactNullableString('bye')
              .writeTaggedFields(),
          );
          e.writeTaggedFields();
        },
        flexible,
      );
      d.readInt32();
      const top = d.readInt16();
      const members = d.readCompactArray((x) => {
        const r = [x.readCompactString(), x.readCompactNullableString(), x.readInt16()];
        x.readTaggedFields();
        return r;
      });
      return { top, members };
    };
    expect(await leave(memberId, 'someone-else')).toEqual({
      top: 0,
      members: [[memberId, 'someone-else', ErrorCode.FENCED_INSTANCE_ID]],
    });
    expect(await leave('', INSTANCE)).toEqual({ top: 0, members: [['', INSTANCE, 0]] });

    // DeleteGroups v2: the group is empty now.
    const del = await client.request(
      42,
      2,
      (e) => e.writeCompactStringArray([GROUP]).writeTaggedFields(),
      flexible,
    );
    del.readInt32();
    expect(
      del.readCompactArray((x) => [x.readCompactString(), x.readInt16(), x.readTaggedFields().size]),
    ).toEqual([[GROUP, 0, 0]]);
  });
});
