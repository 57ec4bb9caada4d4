/**
 * The coordinator's state machine on a fake clock (it does no I/O: the store is
 * in memory and time moves only when the test says). Everything on the wire is
 * tested through real clients in the other files of this folder.
 */
import { ErrorCode } from '../../src/protocol/error-codes';
import { GroupCoordinator, type PartitionCatalog } from '../../src/coordinator/group-coordinator';
import { GroupCoordinatorConfig } from '../../src/coordinator/group-coordinator-config';
import { MemoryGroupStore } from '../../src/coordinator/internals/group-store';
import type { JoinGroupRequest, JoinGroupResult } from '../../src/coordinator/coordinator-api';
import { ManualScheduler, flushPromises } from './support/manual-scheduler';

const SESSION = 10_000;
const REBALANCE = 30_000;

/** Topics whose name starts with "t" exist with 3 partitions; ids change when a test "re-creates" a topic. */
const topicIds = new Map<string, string>();
const catalog: PartitionCatalog = {
  hasPartition: (topic, partition) => topic.startsWith('t') && partition >= 0 && partition < 3,
  logEndOffset: () => 100,
  topicId: (topic) => (topic.startsWith('t') ? (topicIds.get(topic) ?? `${topic}-id`) : undefined),
};

interface Tracked<T> {
  readonly promise: Promise<T>;
  settled: boolean;
  value?: T;
}

function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { promise, settled: false };
  void promise.then((v) => {
    t.settled = true;
    t.value = v;
  });
  return t;
}

function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs: SESSION,
    rebalanceTimeoutMs: REBALANCE,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('m') }],
    requireKnownMemberId: true,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...overrides,
  };
}

describe('GroupCoordinator state machine', () => {
  let clock: ManualScheduler;
  let coordinator: GroupCoordinator;

  async function create(config = GroupCoordinatorConfig.forTests()): Promise<void> {
    clock = new ManualScheduler();
    coordinator = new GroupCoordinator({
      config,
      scheduler: clock,
      store: new MemoryGroupStore(),
      partitions: catalog,
    });
    await coordinator.start();
  }

  beforeEach(() => create());
  afterEach(() => coordinator.stop());

  /** Joins as a new member (MEMBER_ID_REQUIRED, then rejoin) and returns the pending join. */
  async function joinNew(overrides: Partial<JoinGroupRequest> = {}): Promise<Tracked<JoinGroupResult>> {
    const first = await coordinator.joinGroup(joinRequest(overrides));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId.startsWith(`${overrides.clientId ?? 'client'}-`)).toBe(true);
    return track(coordinator.joinGroup(joinRequest({ ...overrides, memberId: first.memberId })));
  }

  function state(groupId = 'g'): string | undefined {
    return coordinator.snapshot().find((g) => g.groupId === groupId)?.state;
  }

  async function stableGroupOfTwo(): Promise<{ leader: string; follower: string; generation: number }> {
    const a = await joinNew();
    await clock.advance(0);
    const leader = a.value!.memberId;
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: leader,
      groupInstanceId: null,
      assignments: [],
    });
    const b = await joinNew();
    expect(
      await coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: leader, groupInstanceId: null }),
    ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const a2 = track(coordinator.joinGroup(joinRequest({ memberId: leader })));
    await flushPromises();
    expect(a2.value?.errorCode).toBe(ErrorCode.NONE);
    expect(b.value?.errorCode).toBe(ErrorCode.NONE);
    const follower = b.value!.memberId;
    const generation = a2.value!.generationId;
    const fs = track(
      coordinator.syncGroup({
        groupId: 'g',
        generationId: generation,
        memberId: follower,
        groupInstanceId: null,
        assignments: [],
      }),
    );
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: generation,
      memberId: leader,
      groupInstanceId: null,
      assignments: [
        { memberId: leader, assignment: Buffer.from('A') },
        { memberId: follower, assignment: Buffer.from('B') },
      ],
    });
    await flushPromises();
    expect(fs.value?.assignment.toString()).toBe('B');
    expect(state()).toBe('Stable');
    return { leader, follower, generation };
  }

  it('asks a new v4+ member for a member id, then makes the first member leader of generation 1', async () => {
    const join = await joinNew();
    expect(state()).toBe('PreparingRebalance');
    expect(join.settled).toBe(false);
    await clock.advance(0); // group.initial.rebalance.delay.ms = 0
    const result = join.value!;
    expect(result).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolName: 'range',
      protocolType: 'consumer',
    });
    expect(result.leader).toBe(result.memberId);
    expect(result.members.map((m) => m.memberId)).toEqual([result.memberId]);
    expect(state()).toBe('CompletingRebalance');
    const sync = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: result.memberId,
      groupInstanceId: null,
      assignments: [{ memberId: result.memberId, assignment: Buffer.from('assignment') }],
    });
    expect(sync).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('assignment') });
    expect(state()).toBe('Stable');
  });

  it('lets pre-v4 members join without MEMBER_ID_REQUIRED', async () => {
    const join = track(coordinator.joinGroup(joinRequest({ requireKnownMemberId: false })));
    await clock.advance(0);
    expect(join.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
  });

  it('rebalances when a member joins: the others learn it from heartbeats, the leader gets every member, followers wait for its SyncGroup', async () => {
    const { leader, follower, generation } = await stableGroupOfTwo();
    expect(generation).toBe(2);
    const described = (await coordinator.describeGroups(['g']))[0]!;
    expect(described).toMatchObject({
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(described.members.map((m) => [m.memberId, m.memberAssignment.toString()])).toEqual([
      [leader, 'A'],
      [follower, 'B'],
    ]);
  });

  it('answers heartbeats, syncs and commits from stale or unknown members as Kafka does', async () => {
    const { leader, generation } = await stableGroupOfTwo();
    const hb = (memberId: string, generationId: number) =>
      coordinator.heartbeat({ groupId: 'g', generationId, memberId, groupInstanceId: null });
    expect(await hb(leader, generation)).toBe(ErrorCode.NONE);
    expect(await hb(leader, generation - 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await hb('nobody', generation)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(
      await coordinator.heartbeat({
        groupId: 'other',
        generationId: 1,
        memberId: leader,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const sync = (memberId: string, generationId: number) =>
      coordinator.syncGroup({ groupId: 'g', generationId, memberId, groupInstanceId: null, assignments: [] });
    expect((await sync(leader, generation + 1)).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await sync('nobody', generation)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const commit = (memberId: string, generationId: number) =>
      coordinator.commitOffsets({
        groupId: 'g',
        generationId,
        memberId,
        retentionTimeMs: -1,
        topics: [
          {
            name: 't1',
            partitions: [
              { partitionIndex: 0, committedOffset: 5, committedMetadata: null, commitTimestamp: -1 },
            ],
          },
        ],
      });
    const codeOf = (r: Awaited<ReturnType<typeof commit>>) => r.topics[0]!.partitions[0]!.errorCode;
    expect(codeOf(await commit(leader, generation - 1))).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(codeOf(await commit('nobody', generation))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(codeOf(await commit('', -1))).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // a live group refuses generation-less commits
    expect(codeOf(await commit(leader, generation))).toBe(ErrorCode.NONE);
    // A joining member puts the group in PreparingRebalance: SyncGroup is refused, commits of the current generation still pass.
    await joinNew();
    expect((await sync(leader, generation)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(codeOf(await commit(leader, generation))).toBe(ErrorCode.NONE);
  });

  it('refuses commits while the group completes a rebalance (REBALANCE_IN_PROGRESS)', async () => {
    const join = await joinNew();
    await clock.advance(0);
    const r = await coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: join.value!.memberId,
      retentionTimeMs: -1,
      topics: [
        {
          name: 't1',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedMetadata: 'x', commitTimestamp: -1 },
          ],
        },
      ],
    });
    expect(r.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('expires a member that stops heartbeating after its session timeout and rebalances the rest', async () => {
    const { leader, follower, generation } = await stableGroupOfTwo();
    for (let t = 0; t < 3 * SESSION; t += SESSION / 2) {
      await clock.advance(SESSION / 2);
      await coordinator.heartbeat({
        groupId: 'g',
        generationId: generation,
        memberId: follower,
        groupInstanceId: null,
      });
    }
    // The leader stopped heartbeating: it is gone, and the follower is told to rejoin.
    const snap = coordinator.snapshot()[0]!;
    expect(snap.memberIds).toEqual([follower]);
    expect(snap.leaderId).toBe(follower);
    expect(state()).toBe('PreparingRebalance');
    const rejoin = track(coordinator.joinGroup(joinRequest({ memberId: follower })));
    await flushPromises();
    expect(rejoin.value).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: generation + 1,
      leader: follower,
    });
    expect(
      await coordinator.heartbeat({
        groupId: 'g',
        generationId: generation + 1,
        memberId: leader,
        groupInstanceId: null,
      }),
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    const { leader, follower, generation } = await stableGroupOfTwo();
    await joinNew({ clientId: 'third' });
    const leaderRejoin = track(coordinator.joinGroup(joinRequest({ memberId: leader })));
    // The follower keeps heartbeating (so its session lives) but never rejoins.
    for (let i = 0; i < 9; i++) {
      await clock.advance(3000);
      expect(
        await coordinator.heartbeat({
          groupId: 'g',
          generationId: generation,
          memberId: follower,
          groupInstanceId: null,
        }),
      ).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    await clock.advance(REBALANCE - 9 * 3000 - 1);
    expect(leaderRejoin.settled).toBe(false);
    await clock.advance(1);
    expect(leaderRejoin.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: generation + 1 });
    const members = coordinator.snapshot()[0]!.memberIds;
    expect(members).toHaveLength(2);
    expect(members).not.toContain(follower);
  });

  it('removes a member that never sends SyncGroup within the rebalance timeout', async () => {
    const { leader, follower, generation } = await stableGroupOfTwo();
    const leaderRejoin = track(coordinator.joinGroup(joinRequest({ memberId: leader })));
    const followerRejoin = track(coordinator.joinGroup(joinRequest({ memberId: follower })));
    await flushPromises();
    expect(leaderRejoin.value?.generationId).toBe(generation + 1);
    expect(followerRejoin.value?.generationId).toBe(generation + 1);
    // Only the leader syncs; the follower keeps heartbeating but never syncs.
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: generation + 1,
      memberId: leader,
      groupInstanceId: null,
      assignments: [],
    });
    for (let t = 0; t < REBALANCE; t += 3000) {
      await clock.advance(3000);
      await coordinator.heartbeat({
        groupId: 'g',
        generationId: generation + 1,
        memberId: follower,
        groupInstanceId: null,
      });
      await coordinator.heartbeat({
        groupId: 'g',
        generationId: generation + 1,
        memberId: leader,
        groupInstanceId: null,
      });
    }
    expect(coordinator.snapshot()[0]!.memberIds).toEqual([leader]);
  });

  it('selects the protocol every member supports with the most votes, and refuses inconsistent protocols', async () => {
    const a = await joinNew({
      protocols: [
        { name: 'range', metadata: Buffer.from('a') },
        { name: 'roundrobin', metadata: Buffer.from('a') },
      ],
    });
    const b = await joinNew({ protocols: [{ name: 'roundrobin', metadata: Buffer.from('b') }] });
    await clock.advance(0);
    expect(a.value?.protocolName).toBe('roundrobin');
    expect(b.value?.protocolName).toBe('roundrobin');
    const c = await coordinator.joinGroup(
      joinRequest({ protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }),
    );
    expect(c.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const d = await coordinator.joinGroup(
      joinRequest({
        protocolType: 'connect',
        protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }],
      }),
    );
    expect(d.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('waits group.initial.rebalance.delay.ms for more members before the first generation', async () => {
    await coordinator.stop();
    await create(GroupCoordinatorConfig.forTests({ initialRebalanceDelayMs: 3000 }));
    const a = await joinNew();
    await clock.advance(2000);
    const b = await joinNew();
    await clock.advance(999);
    expect(a.settled).toBe(false);
    // The delay is extended once because a member arrived during it.
    await clock.advance(3001);
    expect(a.value?.generationId).toBe(1);
    expect(b.value?.generationId).toBe(1);
    expect(a.value?.members).toHaveLength(2);
  });

  it('validates group ids and session timeouts, and answers COORDINATOR_NOT_AVAILABLE once stopped', async () => {
    expect((await coordinator.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(
      ErrorCode.INVALID_GROUP_ID,
    );
    expect((await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 10 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await coordinator.joinGroup(joinRequest({ memberId: 'made-up' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    const pending = await joinNew();
    await coordinator.stop();
    expect(pending.value?.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await coordinator.listGroups()).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(clock.pendingTasks()).toBe(0);
    await create();
  });

  it('leaves: the group rebalances without the member and becomes Empty when the last one leaves', async () => {
    const { leader, follower } = await stableGroupOfTwo();
    expect(await coordinator.leaveGroup({ groupId: 'g', memberId: leader })).toBe(ErrorCode.NONE);
    expect(state()).toBe('PreparingRebalance');
    expect(await coordinator.leaveGroup({ groupId: 'g', memberId: leader })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(await coordinator.leaveGroup({ groupId: 'g', memberId: follower })).toBe(ErrorCode.NONE);
    expect(state()).toBe('Empty');
    expect((await coordinator.describeGroups(['g']))[0]).toMatchObject({
      groupState: 'Empty',
      members: [],
      protocolData: '',
    });
  });

  it('commits and fetches offsets, validating partitions and metadata size', async () => {
    const commit = await coordinator.commitOffsets({
      groupId: 'simple',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [
        {
          name: 't1',
          partitions: [
            { partitionIndex: 0, committedOffset: 10, committedMetadata: 'meta', commitTimestamp: -1 },
            { partitionIndex: 1, committedOffset: 20, committedMetadata: null, commitTimestamp: -1 },
            { partitionIndex: 7, committedOffset: 1, committedMetadata: null, commitTimestamp: -1 },
            {
              partitionIndex: 2,
              committedOffset: 1,
              committedMetadata: 'x'.repeat(5000),
              commitTimestamp: -1,
            },
          ],
        },
      ],
    });
    expect(commit.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([
      ErrorCode.NONE,
      ErrorCode.NONE,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
    ]);
    const fetched = await coordinator.fetchOffsets({
      groupId: 'simple',
      topics: [{ name: 't1', partitionIndexes: [0, 1, 2] }],
    });
    expect(fetched.topics[0]!.partitions).toEqual([
      { partitionIndex: 0, committedOffset: 10, metadata: 'meta', errorCode: 0 },
      { partitionIndex: 1, committedOffset: 20, metadata: '', errorCode: 0 },
      { partitionIndex: 2, committedOffset: -1, metadata: '', errorCode: 0 },
    ]);
    const all = await coordinator.fetchOffsets({ groupId: 'simple', topics: null });
    expect(all.topics).toEqual([
      {
        name: 't1',
        partitions: [
          expect.objectContaining({ partitionIndex: 0 }),
          expect.objectContaining({ partitionIndex: 1 }),
        ],
      },
    ]);
    expect((await coordinator.fetchOffsets({ groupId: 'unknown', topics: null })).topics).toEqual([]);
    const unknownGeneration = await coordinator.commitOffsets({
      groupId: 'never-joined',
      generationId: 3,
      memberId: 'm',
      retentionTimeMs: -1,
      topics: [
        {
          name: 't1',
          partitions: [
            { partitionIndex: 0, committedOffset: 1, committedMetadata: null, commitTimestamp: -1 },
          ],
        },
      ],
    });
    expect(unknownGeneration.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await coordinator.listGroups()).groups).toEqual([
      { groupId: 'simple', protocolType: '', groupState: 'Empty' },
    ]);
  });

  it('deletes only empty groups, with their offsets', async () => {
    const { leader } = await stableGroupOfTwo();
    await coordinator.commitOffsets({
      groupId: 'offsets-only',
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [
        {
          name: 't1',
          partitions: [
            { partitionIndex: 0, committedOffset: 3, committedMetadata: null, commitTimestamp: -1 },
          ],
        },
      ],
    });
    expect(await coordinator.deleteGroups(['g', 'offsets-only', 'missing'])).toEqual([
      { groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'offsets-only', errorCode: ErrorCode.NONE },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    expect((await coordinator.fetchOffsets({ groupId: 'offsets-only', topics: null })).topics).toEqual([]);
    expect((await coordinator.describeGroups(['offsets-only']))[0]!.groupState).toBe('Dead');
    expect(leader).toBeTruthy();
  });

  it('expires offsets of an empty group after the retention, then forgets the group', async () => {
    await coordinator.stop();
    await create(
      GroupCoordinatorConfig.forTests({
        offsetsRetentionMs: 60_000,
        offsetsRetentionCheckIntervalMs: 10_000,
      }),
    );
    const commit = (groupId: string, retentionTimeMs: number) =>
      coordinator.commitOffsets({
        groupId,
        generationId: -1,
        memberId: '',
        retentionTimeMs,
        topics: [
          {
            name: 't1',
            partitions: [
              { partitionIndex: 0, committedOffset: 3, committedMetadata: null, commitTimestamp: -1 },
            ],
          },
        ],
      });
    await commit('default-retention', -1);
    await commit('short-retention', 15_000);
    await clock.advance(20_000);
    expect(coordinator.snapshot().map((g) => g.groupId)).toEqual(['default-retention']);
    await clock.advance(40_000);
    expect(coordinator.snapshot()).toEqual([]);
  });

  it('forgets offsets of a topic deleted and created again (new topic id)', async () => {
    await coordinator.stop();
    await create(GroupCoordinatorConfig.forTests({ offsetsRetentionCheckIntervalMs: 10_000 }));
    const commit = (topic: string) =>
      coordinator.commitOffsets({
        groupId: 'recreated',
        generationId: -1,
        memberId: '',
        retentionTimeMs: -1,
        topics: [
          {
            name: topic,
            partitions: [
              { partitionIndex: 0, committedOffset: 8, committedMetadata: null, commitTimestamp: -1 },
            ],
          },
        ],
      });
    await commit('t-recreated');
    await commit('t-kept');
    topicIds.set('t-recreated', 'a-new-id');
    try {
      const fetched = await coordinator.fetchOffsets({
        groupId: 'recreated',
        topics: [
          { name: 't-recreated', partitionIndexes: [0] },
          { name: 't-kept', partitionIndexes: [0] },
        ],
      });
      expect(fetched.topics.map((t) => [t.name, t.partitions[0]!.committedOffset])).toEqual([
        ['t-recreated', -1],
        ['t-kept', 8],
      ]);
      expect(
        (await coordinator.fetchOffsets({ groupId: 'recreated', topics: null })).topics.map((t) => t.name),
      ).toEqual(['t-kept']);
      await clock.advance(10_000);
      expect(coordinator.snapshot()[0]!.offsets.map((o) => o.topic)).toEqual(['t-kept']);
    } finally {
      topicIds.clear();
    }
  });
});
