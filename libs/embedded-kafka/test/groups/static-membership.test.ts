/**
 * Static membership (KIP-345) as Kafka's GroupCoordinator does it: a member
 * that comes back with its group.instance.id within the session timeout gets
 * its assignment back under a new member id, without a rebalance (the other
 * member never sees REBALANCE_IN_PROGRESS and the generation stays); the old
 * member id is fenced; new subscription bytes under the same protocol do not rebalance either
 * (only a change of the group's selected protocol would). Raw JoinGroup v9 /
 * SyncGroup v5 / Heartbeat v4 on the wire.
 */
import type { EmbeddedKafka } from '../../src';
import type { Decoder } from '../../src/protocol/decoder';
import { ErrorCode } from '../../src/protocol/error-codes';
import { RawClient } from '../helpers/raw-client';
import { startBroker, waitFor } from './support/broker';

const flexible = { flexible: true };
const GROUP = 'static-group';

function readJoin(d: Decoder) {
  d.readInt32();
  const r = {
    errorCode: d.readInt16(),
    generationId: d.readInt32(),
    protocolType: d.readCompactNullableString(),
    protocolName: d.readCompactNullableString(),
    leader: d.readCompactString(),
    skip: d.readBoolean(),
    memberId: d.readCompactString(),
    members: d.readCompactArray((x) => {
      const m = [x.readCompactString(), x.readCompactNullableString(), x.readCompactBytes().toString()];
      x.readTaggedFields();
      return m;
    }),
  };
  d.readTaggedFields();
  return r;
}

class Member {
  memberId = '';
  generationId = -1;
  constructor(
    readonly client: RawClient,
    readonly instanceId: string | null,
  ) {}

  async join(subscription = 'sub', memberId = this.memberId): Promise<ReturnType<typeof readJoin>> {
    const r = readJoin(
      await this.client.request(
        11,
        9,
        (e) => {
          e.writeCompactString(GROUP).writeInt32(6000).writeInt32(20000).writeCompactString(memberId);
          e.writeCompactNullableString(this.instanceId).writeCompactString('consumer');
          e.writeCompactArray(['range'], (x, n) =>
            x.writeCompactString(n).writeCompactBytes(Buffer.from(subscription)).writeTaggedFields(),
          );
          e.writeCompactNullableString(null).writeTaggedFields();
        },
        flexible,
      ),
    );
    if (r.errorCode === ErrorCode.MEMBER_ID_REQUIRED) return this.join(subscription, r.memberId);
    this.memberId = r.memberId;
    this.generationId = r.generationId;
    return r;
  }

  async sync(assignments: [string, string][] = [], memberId = this.memberId) {
    const d = await this.client.request(
      14,
      5,
      (e) => {
        e.writeCompactString(GROUP).writeInt32(this.generationId).writeCompactString(memberId);
        e.writeCompactNullableString(this.instanceId)
          .writeCompactNullableString(null)
          .writeCompactNullableString(null);
        e.writeCompactArray(assignments, (x, [m, a]) =>
          x.writeCompactString(m).writeCompactBytes(Buffer.from(a)).writeTaggedFields(),
        );
        e.writeTaggedFields();
      },
      flexible,
    );
    d.readInt32();
    const errorCode = d.readInt16();
    d.readCompactNullableString();
    d.readCompactNullableString();
    return { errorCode, assignment: d.readCompactBytes().toString() };
  }

  async heartbeat(memberId = this.memberId): Promise<number> {
    const d = await this.client.request(
      12,
      4,
      (e) =>
        e
          .writeCompactString(GROUP)
          .writeInt32(this.generationId)
          .writeCompactString(memberId)
          .writeCompactNullableString(this.instanceId)
          .writeTaggedFields(),
      flexible,
    );
    d.readInt32();
    return d.readInt16();
  }
}

describe('static membership (group.instance.id)', () => {
  let broker: EmbeddedKafka;
  const clients: RawClient[] = [];
  const connect = async () => {
    const c = await RawClient.connect(broker.bootstrapServers);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    broker = await startBroker();
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await broker.stop();
  });

  it('gives a returning instance its assignment back with no rebalance, fences the old member id, keeps it on a changed subscription', async () => {
    // Generation 1: pod-0 alone; then pod-1 joins and both form generation 2.
    const a = new Member(await connect(), 'pod-0');
    expect((await a.join()).generationId).toBe(1);
    expect((await a.sync([[a.memberId, 'A1']])).assignment).toBe('A1');
    const b = new Member(await connect(), 'pod-1');
    const bJoin = b.join();
    await waitFor(
      async () => (await a.heartbeat()) === ErrorCode.REBALANCE_IN_PROGRESS,
      10_000,
      'pod-0 told to rejoin',
    );
    const [aJoin2, bJoined] = await Promise.all([a.join(), bJoin]);
    expect(aJoin2.generationId).toBe(2);
    expect(bJoined.generationId).toBe(2);
    expect(aJoin2.leader).toBe(a.memberId);
    expect(aJoin2.members.map((m) => m[1]).sort()).toEqual(['pod-0', 'pod-1']);
    const [aSync, bSync] = await Promise.all([
      a.sync([
        [a.memberId, 'A2'],
        [b.memberId, 'B2'],
      ]),
      b.sync(),
    ]);
    expect([aSync.assignment, bSync.assignment]).toEqual(['A2', 'B2']);

    // pod-1 restarts: a new connection, no member id, same instance id.
    const oldB = b.memberId;
    const b2 = new Member(await connect(), 'pod-1');
    const rejoined = await b2.join();
    expect(rejoined.errorCode).toBe(0);
    expect(rejoined.generationId).toBe(2); // no new generation
    expect(rejoined.memberId).not.toBe(oldB);
    expect(rejoined.memberId.startsWith('pod-1-')).toBe(true);
    expect(rejoined.leader).toBe(a.memberId);
    expect(await b2.sync()).toEqual({ errorCode: 0, assignment: 'B2' });
    // the other member saw no rebalance, and the old incarnation is fenced
    expect(await a.heartbeat()).toBe(ErrorCode.NONE);
    expect(await b2.heartbeat()).toBe(ErrorCode.NONE);
    expect(await b.heartbeat(oldB)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect((await b.sync([], oldB)).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);

    // The leader restarting is the same: generation 2 stays, and it still leads.
    const a2 = new Member(await connect(), 'pod-0');
    const leaderBack = await a2.join();
    expect([leaderBack.errorCode, leaderBack.generationId, leaderBack.leader]).toEqual([0, 2, a2.memberId]);
    expect(leaderBack.members.map((m) => m[0]).sort()).toEqual([a2.memberId, b2.memberId].sort());
    // its SyncGroup in a Stable group returns the stored assignment
    expect(await a2.sync([[a2.memberId, 'ignored']])).toEqual({ errorCode: 0, assignment: 'A2' });
    expect(await b2.heartbeat()).toBe(ErrorCode.NONE);

    // Coming back with different subscription bytes under the same protocol does not rebalance
    // either (Kafka's GroupMetadataManager only rebalances when the selected protocol changes).
    const b3 = new Member(await connect(), 'pod-1');
    const b3Joined = await b3.join('another-subscription');
    expect([b3Joined.errorCode, b3Joined.generationId]).toEqual([0, 2]);
    expect(await b3.sync([])).toEqual({ errorCode: 0, assignment: 'B2' });
    expect(await a2.heartbeat()).toBe(ErrorCode.NONE);
  });
});
