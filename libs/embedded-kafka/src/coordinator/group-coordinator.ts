import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import type { CommittedOffset } from './committed-offset';
import type {
  DeleteGroupResult,
  DescribedGroup,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupRequest,
  ListedGroup,
  OffsetCommitPartition,
  OffsetCommitRequest,
  OffsetCommitResult,
  OffsetFetchPartition,
  OffsetFetchRequest,
  OffsetFetchResult,
  SyncGroupRequest,
  SyncGroupResult,
} from './coordinator-api';
import { GroupCoordinatorConfig } from './group-coordinator-config';
import { GroupState, type GroupStateName } from './group-state';
import { GroupMetadata } from './internals/group-metadata';
import type { GroupLogRecord } from './internals/group-log-record';
import { type GroupStore, MemoryGroupStore } from './internals/group-store';
import { MemberMetadata } from './internals/member-metadata';
import { type Scheduler, SystemScheduler } from './scheduler';

const EMPTY = Buffer.alloc(0);

/** What the coordinator needs to know about the broker's topics. */
export interface PartitionCatalog {
  /** True when the topic partition exists (OffsetCommit refuses unknown ones). */
  hasPartition(topic: string, partition: number): boolean;
  /** The partition's log end offset (high watermark), or undefined when unknown. */
  logEndOffset(topic: string, partition: number): number | undefined;
  /** The topic's id, or undefined when the topic does not exist; a re-created topic has a new id. */
  topicId(topic: string): string | undefined;
}

/** Where the coordinator logs rebalances and problems. */
export interface CoordinatorLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Everything a {@link GroupCoordinator} is built from. */
export interface GroupCoordinatorOptions {
  readonly config?: GroupCoordinatorConfig;
  /** Clock and timers (a fake one in unit tests). */
  readonly scheduler?: Scheduler;
  /** Durable store of committed offsets; in memory when omitted. */
  readonly store?: GroupStore;
  readonly partitions: PartitionCatalog;
  readonly logger?: CoordinatorLogger;
}

/** A group as seen from outside (metrics, tests). */
export interface GroupSnapshot {
  readonly groupId: string;
  readonly state: GroupStateName;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leaderId: string | null;
  readonly memberIds: readonly string[];
  readonly offsets: readonly CommittedOffset[];
}

const SILENT: CoordinatorLogger = { info: () => {}, warn: () => {} };

/**
 * The classic consumer-group coordinator, behaving as Apache Kafka's
 * GroupCoordinator does for the JoinGroup / SyncGroup / Heartbeat / LeaveGroup
 * protocol, plus committed offsets (OffsetCommit / OffsetFetch), DescribeGroups,
 * ListGroups and DeleteGroups.
 *
 * It is a pure state machine over a {@link Scheduler} (time and timers) and a
 * {@link GroupStore} (durability): no sockets, no wire formats. Each API is one
 * async method taking and returning version-independent shapes; a JoinGroup or
 * SyncGroup promise resolves when the rebalance gets that far.
 *
 * Groups move Empty -> PreparingRebalance -> CompletingRebalance -> Stable;
 * any join with new metadata, any leave or session expiry, and any JoinGroup
 * from the leader starts a new rebalance. A rebalance completes when every
 * member has rejoined, or when the rebalance timeout drops the ones that did
 * not; the first member to join is the leader, and the leader's SyncGroup
 * hands every member its assignment.
 */
export class GroupCoordinator {
  private readonly config: GroupCoordinatorConfig;
  private readonly scheduler: Scheduler;
  private readonly store: GroupStore;
  private readonly partitions: PartitionCatalog;
  private readonly logger: CoordinatorLogger;
  private readonly groups = new Map<string, GroupMetadata>();
  private active = false;
  private retentionTask: ReturnType<Scheduler['schedule']> | null = null;

  constructor(options: GroupCoordinatorOptions) {
    this.config = options.config ?? GroupCoordinatorConfig.kafkaDefaults();
    this.scheduler = options.scheduler ?? new SystemScheduler();
    this.store = options.store ?? new MemoryGroupStore();
    this.partitions = options.partitions;
    this.logger = options.logger ?? SILENT;
  }

  /** Loads committed offsets and group generations from the store, then serves requests. */
  async start(): Promise<void> {
    if (this.active) return;
    const now = this.now();
    for (const [groupId, stored] of this.store.load()) {
      const group = new GroupMetadata(groupId, now);
      group.generationId = stored.generationId;
      group.protocolType = stored.protocolType;
      for (const o of stored.offsets.values()) group.putOffset(o);
      this.groups.set(groupId, group);
    }
    this.active = true;
    this.scheduleRetentionCheck();
    this.logger.info(`group coordinator loaded ${this.groups.size} group(s)`);
  }

  /**
   * Stops serving: pending JoinGroup/SyncGroup requests are answered with
   * NOT_COORDINATOR (as when Kafka unloads a group), timers are cancelled and
   * the store is flushed and closed.
   */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    if (this.retentionTask) this.scheduler.cancel(this.retentionTask);
    for (const group of this.groups.values()) {
      this.cancelGroupTimers(group);
      for (const member of group.members.values()) {
        member.completeJoin(joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
        member.completeSync({ errorCode: ErrorCode.NOT_COORDINATOR, assignment: EMPTY });
        this.cancelExpiry(member);
      }
    }
    this.groups.clear();
    await this.store.close();
  }

  /** Whether the coordinator is serving (between {@link start} and {@link stop}). */
  get isActive(): boolean {
    return this.active;
  }

  // ---------------------------------------------------------------- JoinGroup

  /** JoinGroup: resolves when this member's rebalance completes (or at once on an error). */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> {
    return new Promise((resolve) => this.handleJoinGroup(request, resolve));
  }

  private handleJoinGroup(req: JoinGroupRequest, respond: (r: JoinGroupResult) => void): void {
    const error = this.validateGroup(req.groupId, false);
    if (error !== ErrorCode.NONE) return respond(joinError(req.memberId, error));
    if (
      req.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      req.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    ) {
      return respond(joinError(req.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    const isUnknownMember = req.memberId === '';
    let group = this.groups.get(req.groupId);
    if (group === undefined) {
      if (!isUnknownMember) return respond(joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new GroupMetadata(req.groupId, this.now());
      this.groups.set(req.groupId, group);
    }
    if (isUnknownMember) this.doUnknownJoinGroup(group, req, respond);
    else this.doJoinGroup(group, req, respond);
    // A join may have been the last one the rebalance was waiting for.
    if (group.is(GroupState.PREPARING_REBALANCE)) this.tryCompleteJoin(group);
  }

  private doUnknownJoinGroup(
    group: GroupMetadata,
    req: JoinGroupRequest,
    respond: (r: JoinGroupResult) => void,
  ): void {
    if (group.is(GroupState.DEAD))
      return respond(joinError(req.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (
      !group.supportsProtocols(
        req.protocolType,
        req.protocols.map((p) => p.name),
      )
    ) {
      return respond(joinError(req.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (req.groupInstanceId !== null) {
      // Static membership (KIP-345): a known instance comes back under a new member id and keeps
      // its assignment; a new one joins at once (no MEMBER_ID_REQUIRED round trip, as in Kafka).
      const existing = group.staticMember(req.groupInstanceId);
      if (existing !== undefined) return this.replaceStaticMember(group, existing, req, respond);
      return this.addMemberAndRebalance(group, `${req.groupInstanceId}-${randomUUID()}`, req, respond);
    }
    const memberId = `${req.clientId}-${randomUUID()}`;
    if (req.requireKnownMemberId) {
      // v4+: hand out the member id; the member is added when it rejoins with it.
      const task = this.schedule(req.sessionTimeoutMs, () => this.expirePendingMember(group, memberId));
      group.pendingMembers.set(memberId, task);
      return respond(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    this.addMemberAndRebalance(group, memberId, req, respond);
  }

  private doJoinGroup(
    group: GroupMetadata,
    req: JoinGroupRequest,
    respond: (r: JoinGroupResult) => void,
  ): void {
    const memberId = req.memberId;
    if (group.is(GroupState.DEAD)) return respond(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (
      !group.supportsProtocols(
        req.protocolType,
        req.protocols.map((p) => p.name),
        memberId,
      )
    ) {
      return respond(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.isFenced(memberId, req.groupInstanceId))
      return respond(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID));
    const pending = group.pendingMembers.get(memberId);
    if (pending !== undefined) {
      this.scheduler.cancel(pending);
      group.pendingMembers.delete(memberId);
      return this.addMemberAndRebalance(group, memberId, req, respond);
    }
    const member = group.members.get(memberId);
    if (member === undefined) return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    switch (group.state) {
      case GroupState.PREPARING_REBALANCE:
        return this.updateMemberAndRebalance(group, member, req, respond);
      case GroupState.COMPLETING_REBALANCE:
        // Same metadata: the member probably missed its JoinGroup response; answer it again.
        if (member.matches(req.protocols))
          return respond(this.joinResult(group, member, group.isLeader(memberId)));
        return this.updateMemberAndRebalance(group, member, req, respond);
      case GroupState.STABLE:
        // The leader rejoining (e.g. topic metadata changed) or changed metadata forces a rebalance.
        if (group.isLeader(memberId) || !member.matches(req.protocols)) {
          return this.updateMemberAndRebalance(group, member, req, respond);
        }
        return respond(this.joinResult(group, member, false));
      default:
        return respond(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(
    group: GroupMetadata,
    memberId: string,
    req: JoinGroupRequest,
    respond: (r: JoinGroupResult) => void,
  ): void {
    const member = new MemberMetadata(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      req.protocols,
    );
    member.isNew = true;
    if (group.is(GroupState.PREPARING_REBALANCE) && group.generationId === 0) group.newMemberAdded = true;
    group.add(member);
    this.awaitJoin(member, respond);
    // A new member cannot heartbeat until it has joined: bound its wait instead.
    this.scheduleExpiry(group, member, this.config.newMemberJoinTimeoutMs);
    this.logger.info(`group ${group.groupId}: member ${memberId} joined`);
    this.maybePrepareRebalance(group);
  }

  /**
   * A static member rejoining with an unknown member id (a restarted pod): it replaces the old
   * member under a new id, the old instance is fenced, and in a Stable group whose selected
   * protocol stays the same it gets the current generation back with its assignment, without a
   * rebalance.
   */
  private replaceStaticMember(
    group: GroupMetadata,
    old: MemberMetadata,
    req: JoinGroupRequest,
    respond: (r: JoinGroupResult) => void,
  ): void {
    const member = new MemberMetadata(
      `${req.groupInstanceId}-${randomUUID()}`,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      req.protocols,
    );
    member.assignment = old.assignment;
    this.cancelExpiry(old);
    old.completeJoin(joinError(old.memberId, ErrorCode.FENCED_INSTANCE_ID));
    old.completeSync({ errorCode: ErrorCode.FENCED_INSTANCE_ID, assignment: EMPTY });
    group.replace(old.memberId, member);
    this.logger.info(
      `group ${group.groupId}: static member ${req.groupInstanceId} rejoined as ${member.memberId} (was ${old.memberId})`,
    );
    // As Kafka's GroupMetadataManager: in a Stable group only a change of the protocol the group
    // would select next rebalances; new subscription bytes under the same protocol do not (a
    // restarted instance's userData differs from its last join; KIP-814 leaves noticing a changed
    // subscription to the client).
    const sameSelection = group.selectProtocol() === group.protocolName;
    if (group.is(GroupState.STABLE) && sameSelection) {
      respond(this.joinResult(group, member, group.isLeader(member.memberId)));
      this.scheduleExpiry(group, member, member.sessionTimeoutMs);
      return;
    }
    if (group.is(GroupState.COMPLETING_REBALANCE) && old.matches(req.protocols)) {
      respond(this.joinResult(group, member, group.isLeader(member.memberId)));
      return;
    }
    // Changed protocols, or a rebalance under way: take part in it.
    this.awaitJoin(member, respond);
    this.maybePrepareRebalance(group);
  }

  private updateMemberAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    req: JoinGroupRequest,
    respond: (r: JoinGroupResult) => void,
  ): void {
    member.protocols = req.protocols;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    this.awaitJoin(member, respond);
    this.maybePrepareRebalance(group);
  }

  private awaitJoin(member: MemberMetadata, respond: (r: JoinGroupResult) => void): void {
    // A retried JoinGroup replaces the earlier one; the client no longer waits for that answer.
    member.completeJoin(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    member.awaitingJoin = respond;
  }

  private maybePrepareRebalance(group: GroupMetadata): void {
    if (group.canRebalance()) this.prepareRebalance(group);
  }

  private prepareRebalance(group: GroupMetadata): void {
    if (group.is(GroupState.COMPLETING_REBALANCE))
      this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.cancelSyncTimer(group);
    const wasEmpty = group.is(GroupState.EMPTY);
    group.transitionTo(GroupState.PREPARING_REBALANCE, this.now());
    this.logger.info(`group ${group.groupId}: preparing rebalance (generation ${group.generationId})`);
    if (wasEmpty) {
      const delay = this.config.initialRebalanceDelayMs;
      this.scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
    } else {
      const task = this.schedule(group.rebalanceTimeoutMs(), () => {
        group.joinTimer = null;
        this.onCompleteJoin(group);
      });
      group.joinTimer = { task, initial: false };
      this.tryCompleteJoin(group);
    }
  }

  /** Kafka's InitialDelayedJoin: waits `delayMs`, and again while new members keep arriving. */
  private scheduleInitialJoin(group: GroupMetadata, delayMs: number, remainingMs: number): void {
    const task = this.schedule(delayMs, () => {
      group.joinTimer = null;
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false;
        const delay = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialJoin(group, delay, Math.max(remainingMs - delayMs, 0));
      } else {
        this.onCompleteJoin(group);
      }
    });
    group.joinTimer = { task, initial: true };
  }

  private tryCompleteJoin(group: GroupMetadata): void {
    if (!group.is(GroupState.PREPARING_REBALANCE)) return;
    if (group.joinTimer?.initial) return;
    if (group.hasAllMembersJoined()) this.onCompleteJoin(group);
  }

  private onCompleteJoin(group: GroupMetadata): void {
    if (!group.is(GroupState.PREPARING_REBALANCE)) return;
    if (group.joinTimer) {
      this.scheduler.cancel(group.joinTimer.task);
      group.joinTimer = null;
    }
    group.newMemberAdded = false;
    for (const failed of group.notYetRejoinedMembers()) {
      this.logger.info(
        `group ${group.groupId}: removing member ${failed.memberId}, which did not rejoin in time`,
      );
      this.cancelExpiry(failed);
      failed.completeSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      group.remove(failed.memberId);
    }
    group.maybeElectNewJoinedLeader();
    group.initNextGeneration(this.now());
    this.persist([
      {
        type: 'group',
        groupId: group.groupId,
        generationId: group.generationId,
        protocolType: group.protocolType,
      },
    ]);
    if (group.is(GroupState.EMPTY)) {
      this.logger.info(`group ${group.groupId}: generation ${group.generationId} is empty`);
      return;
    }
    this.logger.info(
      `group ${group.groupId}: generation ${group.generationId} with ${group.members.size} member(s), protocol ${group.protocolName}, leader ${group.leaderId}`,
    );
    for (const id of group.members.keys()) group.pendingSyncMembers.add(id);
    const generation = group.generationId;
    group.syncTask = this.schedule(group.rebalanceTimeoutMs(), () =>
      this.onExpirePendingSync(group, generation),
    );
    for (const member of group.members.values()) {
      member.completeJoin(this.joinResult(group, member, group.isLeader(member.memberId)));
      this.scheduleExpiry(group, member, member.sessionTimeoutMs);
      member.isNew = false;
    }
  }

  private joinResult(group: GroupMetadata, member: MemberMetadata, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  // ---------------------------------------------------------------- SyncGroup

  /** SyncGroup: followers wait for the leader's assignment; the leader's request completes the rebalance. */
  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResult> {
    return new Promise((resolve) => this.handleSyncGroup(request, resolve));
  }

  private handleSyncGroup(req: SyncGroupRequest, respond: (r: SyncGroupResult) => void): void {
    const fail = (errorCode: number) => respond({ errorCode, assignment: EMPTY });
    const error = this.validateGroup(req.groupId, false);
    if (error !== ErrorCode.NONE) return fail(error);
    const group = this.groups.get(req.groupId);
    if (group === undefined) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.is(GroupState.DEAD)) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (group.isFenced(req.memberId, req.groupInstanceId)) return fail(ErrorCode.FENCED_INSTANCE_ID);
    const member = group.members.get(req.memberId);
    if (member === undefined) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (
      (req.protocolType != null && req.protocolType !== group.protocolType) ||
      (req.protocolName != null && req.protocolName !== group.protocolName)
    ) {
      return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    switch (group.state) {
      case GroupState.PREPARING_REBALANCE:
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case GroupState.COMPLETING_REBALANCE: {
        member.completeSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        member.awaitingSync = respond;
        this.removePendingSyncMember(group, member.memberId);
        if (group.isLeader(member.memberId)) {
          const assignments = new Map<string, Buffer>();
          for (const a of req.assignments) assignments.set(a.memberId, a.assignment);
          for (const m of group.members.values()) m.assignment = assignments.get(m.memberId) ?? EMPTY;
          this.propagateAssignment(group, ErrorCode.NONE);
          group.transitionTo(GroupState.STABLE, this.now());
          this.logger.info(`group ${group.groupId}: stable at generation ${group.generationId}`);
        }
        return;
      }
      case GroupState.STABLE:
        this.removePendingSyncMember(group, member.memberId);
        respond({ errorCode: ErrorCode.NONE, assignment: member.assignment });
        this.scheduleExpiry(group, member, member.sessionTimeoutMs);
        return;
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  private propagateAssignment(group: GroupMetadata, errorCode: number): void {
    for (const member of group.members.values()) {
      if (member.isAwaitingSync) {
        member.completeSync({ errorCode, assignment: member.assignment });
        // Expirations were ignored while the member waited: expect heartbeats from now on.
        this.scheduleExpiry(group, member, member.sessionTimeoutMs);
      }
    }
  }

  private resetAndPropagateAssignmentError(group: GroupMetadata, errorCode: number): void {
    for (const member of group.members.values()) member.assignment = EMPTY;
    this.propagateAssignment(group, errorCode);
  }

  private removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) this.cancelSyncTimer(group);
  }

  /** Members that never sent SyncGroup within the rebalance timeout are dropped and the group rebalances. */
  private onExpirePendingSync(group: GroupMetadata, generation: number): void {
    group.syncTask = null;
    if (generation !== group.generationId) return;
    if (!group.is(GroupState.COMPLETING_REBALANCE) && !group.is(GroupState.STABLE)) return;
    if (group.pendingSyncMembers.size === 0) return;
    for (const memberId of [...group.pendingSyncMembers]) {
      const member = group.members.get(memberId);
      this.logger.info(
        `group ${group.groupId}: removing member ${memberId}, which did not send SyncGroup in time`,
      );
      if (member) {
        this.cancelExpiry(member);
        member.completeSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      }
      group.remove(memberId);
    }
    this.prepareRebalance(group);
  }

  // ---------------------------------------------------------------- Heartbeat and LeaveGroup

  /** Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
  async heartbeat(req: HeartbeatRequest): Promise<number> {
    const error = this.validateGroup(req.groupId, false);
    if (error !== ErrorCode.NONE) return error;
    const group = this.groups.get(req.groupId);
    if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is(GroupState.DEAD)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isFenced(req.memberId, req.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    const member = group.members.get(req.memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case GroupState.COMPLETING_REBALANCE:
      case GroupState.STABLE:
        this.scheduleExpiry(group, member, member.sessionTimeoutMs);
        return ErrorCode.NONE;
      case GroupState.PREPARING_REBALANCE:
        this.scheduleExpiry(group, member, member.sessionTimeoutMs);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        return ErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  /** LeaveGroup (one member): the group rebalances without it. */
  async leaveGroup(req: LeaveGroupRequest): Promise<number> {
    const error = this.validateGroup(req.groupId, false);
    if (error !== ErrorCode.NONE) return error;
    const group = this.groups.get(req.groupId);
    if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is(GroupState.DEAD)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const pending = group.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      this.scheduler.cancel(pending);
      group.pendingMembers.delete(req.memberId);
      this.tryCompleteJoin(group);
      return ErrorCode.NONE;
    }
    const instanceId = req.groupInstanceId ?? null;
    const member =
      req.memberId === '' && instanceId !== null
        ? [...group.members.values()].find((m) => m.groupInstanceId === instanceId)
        : group.members.get(req.memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (instanceId !== null && member.groupInstanceId !== instanceId) return ErrorCode.FENCED_INSTANCE_ID;
    this.logger.info(`group ${group.groupId}: member ${member.memberId} left`);
    this.removeMemberAndUpdateGroup(group, member);
    return ErrorCode.NONE;
  }

  private removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata): void {
    // A pending JoinGroup/SyncGroup of the removed member gets UNKNOWN_MEMBER_ID, so a live client rejoins.
    member.completeJoin(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    member.completeSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    this.cancelExpiry(member);
    group.remove(member.memberId);
    switch (group.state) {
      case GroupState.STABLE:
      case GroupState.COMPLETING_REBALANCE:
        this.maybePrepareRebalance(group);
        break;
      case GroupState.PREPARING_REBALANCE:
        this.tryCompleteJoin(group);
        break;
      default:
        break;
    }
  }

  private scheduleExpiry(group: GroupMetadata, member: MemberMetadata, timeoutMs: number): void {
    this.cancelExpiry(member);
    member.expiryTask = this.schedule(timeoutMs, () => this.onMemberExpired(group, member));
  }

  private cancelExpiry(member: MemberMetadata): void {
    if (member.expiryTask) this.scheduler.cancel(member.expiryTask);
    member.expiryTask = null;
  }

  private onMemberExpired(group: GroupMetadata, member: MemberMetadata): void {
    member.expiryTask = null;
    if (group.members.get(member.memberId) !== member) return;
    // Members waiting in a rebalance are bounded by the rebalance timeout, not the session.
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    this.logger.info(
      `group ${group.groupId}: member ${member.memberId} expired (no heartbeat within its session timeout)`,
    );
    this.removeMemberAndUpdateGroup(group, member);
  }

  private expirePendingMember(group: GroupMetadata, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.tryCompleteJoin(group);
  }

  // ---------------------------------------------------------------- Offsets

  /** OffsetCommit: validates the member and generation as Kafka does, then stores durably. */
  async commitOffsets(req: OffsetCommitRequest): Promise<OffsetCommitResult> {
    const everyPartition = (errorCode: number): OffsetCommitResult => ({
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      })),
    });
    const error = this.validateGroup(req.groupId, true);
    if (error !== ErrorCode.NONE) return everyPartition(error);
    let group = this.groups.get(req.groupId);
    if (group === undefined) {
      // Not a managed group: a commit without a generation (admin tools, simple consumers) creates it.
      if (req.generationId >= 0) return everyPartition(ErrorCode.ILLEGAL_GENERATION);
      group = new GroupMetadata(req.groupId, this.now());
      this.groups.set(req.groupId, group);
    }
    if (group.is(GroupState.DEAD)) return everyPartition(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (!(req.generationId < 0 && group.is(GroupState.EMPTY))) {
      if (group.isFenced(req.memberId, req.groupInstanceId))
        return everyPartition(ErrorCode.FENCED_INSTANCE_ID);
      if (group.is(GroupState.COMPLETING_REBALANCE)) return everyPartition(ErrorCode.REBALANCE_IN_PROGRESS);
      const member = group.members.get(req.memberId);
      if (member === undefined) return everyPartition(ErrorCode.UNKNOWN_MEMBER_ID);
      if (req.generationId !== group.generationId) return everyPartition(ErrorCode.ILLEGAL_GENERATION);
      this.scheduleExpiry(group, member, member.sessionTimeoutMs);
    }
    return this.doCommitOffsets(group, req);
  }

  private async doCommitOffsets(group: GroupMetadata, req: OffsetCommitRequest): Promise<OffsetCommitResult> {
    const now = this.now();
    const records: GroupLogRecord[] = [];
    const offsets: CommittedOffset[] = [];
    const codes = req.topics.map((t) =>
      t.partitions.map((p) => {
        const metadata = p.committedMetadata ?? '';
        if (!this.partitions.hasPartition(t.name, p.partitionIndex))
          return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (Buffer.byteLength(metadata, 'utf8') > this.config.offsetMetadataMaxBytes)
          return ErrorCode.OFFSET_METADATA_TOO_LARGE;
        const commitTimestamp = p.commitTimestamp >= 0 ? p.commitTimestamp : now;
        const offset: CommittedOffset = {
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          topicId: this.partitions.topicId(t.name) ?? null,
          metadata,
          commitTimestamp,
          expireTimestamp: req.retentionTimeMs >= 0 ? commitTimestamp + req.retentionTimeMs : null,
        };
        offsets.push(offset);
        records.push({ type: 'offset', groupId: group.groupId, offset });
        return ErrorCode.NONE as number;
      }),
    );
    let storeError: number = ErrorCode.NONE;
    try {
      this.store.write(records);
      for (const o of offsets) group.putOffset(o);
      await this.store.flush();
    } catch (err) {
      this.logger.warn(`group ${group.groupId}: storing committed offsets failed: ${(err as Error).message}`);
      storeError = ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
    return {
      topics: req.topics.map((t, ti) => ({
        name: t.name,
        partitions: t.partitions.map((p, pi) => {
          const code = codes[ti]![pi]!;
          return { partitionIndex: p.partitionIndex, errorCode: code === ErrorCode.NONE ? storeError : code };
        }),
      })),
    };
  }

  /**
   * KIP-447: checks the consumer-group metadata a TxnOffsetCommit (v3+) carries
   * against the group, as Kafka does: a fenced static member gets
   * FENCED_INSTANCE_ID, an unknown member UNKNOWN_MEMBER_ID, another generation
   * ILLEGAL_GENERATION. Without metadata (generation -1, empty member id, as
   * older clients send) nothing is checked.
   */
  validateTransactionalCommit(
    groupId: string,
    generationId: number,
    memberId: string,
    groupInstanceId: string | null,
  ): number {
    const error = this.validateGroup(groupId, false);
    if (error !== ErrorCode.NONE) return error;
    if (generationId < 0 && memberId === '') return ErrorCode.NONE;
    const group = this.groups.get(groupId);
    if (group === undefined || group.is(GroupState.DEAD)) return ErrorCode.ILLEGAL_GENERATION;
    if (group.isFenced(memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    if (!group.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  /**
   * Makes a committed transaction's offsets visible to the group (durably), as
   * the commit marker in `__consumer_offsets` does in Kafka. Throws when they
   * cannot be stored.
   */
  async commitTransactionalOffsets(
    groupId: string,
    offsets: readonly { topic: string; partition: number; offset: number; metadata: string }[],
  ): Promise<void> {
    if (offsets.length === 0) return;
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new GroupMetadata(groupId, this.now());
      this.groups.set(groupId, group);
    }
    const byTopic = new Map<string, OffsetCommitPartition[]>();
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? [];
      list.push({
        partitionIndex: o.partition,
        committedOffset: o.offset,
        committedMetadata: o.metadata,
        commitTimestamp: -1,
      });
      byTopic.set(o.topic, list);
    }
    const result = await this.doCommitOffsets(group, {
      groupId,
      generationId: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    });
    for (const t of result.topics)
      for (const p of t.partitions)
        if (p.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE)
          throw new Error(`storing transactional offsets of group ${groupId} failed`);
  }

  /** OffsetFetch: committed offsets (-1 where none); `topics: null` means all of the group's. */
  async fetchOffsets(req: OffsetFetchRequest): Promise<OffsetFetchResult> {
    const error = this.validateGroup(req.groupId, true);
    const group = this.groups.get(req.groupId);
    const none = (partitionIndex: number, errorCode: number): OffsetFetchPartition => ({
      partitionIndex,
      committedOffset: -1,
      metadata: '',
      errorCode,
    });
    if (error !== ErrorCode.NONE) {
      return {
        errorCode: error,
        topics: (req.topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((p) => none(p, error)),
        })),
      };
    }
    if (req.topics === null) {
      const topics = new Map<string, OffsetFetchPartition[]>();
      for (const o of (group?.allOffsets() ?? []).filter((x) => this.isLive(x))) {
        const list = topics.get(o.topic) ?? [];
        list.push({
          partitionIndex: o.partition,
          committedOffset: o.offset,
          metadata: o.metadata,
          errorCode: ErrorCode.NONE,
        });
        topics.set(o.topic, list);
      }
      return {
        errorCode: ErrorCode.NONE,
        topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
      };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => {
          const o = group?.offset(t.name, p);
          if (o === undefined || !this.isLive(o)) return none(p, ErrorCode.NONE);
          return {
            partitionIndex: p,
            committedOffset: o.offset,
            metadata: o.metadata,
            errorCode: ErrorCode.NONE,
          };
        }),
      })),
    };
  }

  // ---------------------------------------------------------------- Describe, list, delete

  /** DescribeGroups: state, protocol and members; an unknown group is reported as Dead. */
  async describeGroups(groupIds: readonly string[]): Promise<DescribedGroup[]> {
    return groupIds.map((groupId) => {
      const error = this.validateGroup(groupId, true);
      if (error !== ErrorCode.NONE) {
        return { errorCode: error, groupId, groupState: '', protocolType: '', protocolData: '', members: [] };
      }
      const group = this.groups.get(groupId);
      if (group === undefined) {
        return {
          errorCode: ErrorCode.NONE,
          groupId,
          groupState: GroupState.DEAD,
          protocolType: '',
          protocolData: '',
          members: [],
        };
      }
      const stable = group.is(GroupState.STABLE);
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: stable ? (group.protocolName ?? '') : '',
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable ? m.metadataFor(group.protocolName) : EMPTY,
          memberAssignment: stable ? m.assignment : EMPTY,
        })),
      };
    });
  }

  /** ListGroups: every group this coordinator knows. */
  async listGroups(): Promise<{ errorCode: number; groups: ListedGroup[] }> {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const groups = [...this.groups.values()]
      .filter((g) => !g.is(GroupState.DEAD))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }));
    return { errorCode: ErrorCode.NONE, groups };
  }

  /** DeleteGroups: removes empty groups and their committed offsets; NON_EMPTY_GROUP while members remain. */
  async deleteGroups(groupIds: readonly string[]): Promise<DeleteGroupResult[]> {
    const results: DeleteGroupResult[] = [];
    const records: GroupLogRecord[] = [];
    const deleted: GroupMetadata[] = [];
    for (const groupId of groupIds) {
      const error = this.validateGroup(groupId, true);
      if (error !== ErrorCode.NONE) {
        results.push({ groupId, errorCode: error });
        continue;
      }
      const group = this.groups.get(groupId);
      if (group === undefined || group.is(GroupState.DEAD)) {
        results.push({ groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND });
      } else if (!group.is(GroupState.EMPTY)) {
        results.push({ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP });
      } else {
        records.push({ type: 'group-delete', groupId });
        deleted.push(group);
        results.push({ groupId, errorCode: ErrorCode.NONE });
      }
    }
    if (records.length === 0) return results;
    try {
      this.store.write(records);
    } catch (err) {
      this.logger.warn(`deleting groups failed: ${(err as Error).message}`);
      const failed = new Set(deleted.map((g) => g.groupId));
      return results.map((r) =>
        failed.has(r.groupId) ? { groupId: r.groupId, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE } : r,
      );
    }
    for (const group of deleted) this.removeGroup(group);
    await this.store
      .flush()
      .catch((err: Error) => this.logger.warn(`flushing group deletions failed: ${err.message}`));
    return results;
  }

  private removeGroup(group: GroupMetadata): void {
    this.cancelGroupTimers(group);
    group.transitionTo(GroupState.DEAD, this.now());
    this.groups.delete(group.groupId);
    this.logger.info(`group ${group.groupId} deleted`);
  }

  // ---------------------------------------------------------------- Offset retention

  private scheduleRetentionCheck(): void {
    this.retentionTask = this.schedule(this.config.offsetsRetentionCheckIntervalMs, () => {
      this.retentionTask = null;
      if (!this.active) return;
      this.expireOffsets();
      this.scheduleRetentionCheck();
    });
  }

  /**
   * Drops expired offsets as Kafka does: for an empty consumer group, offsets
   * older than the retention since the group became empty; for a group used
   * only to store offsets, since each commit; an explicit expiry (OffsetCommit
   * v2-4) wins. Offsets of deleted (or deleted and re-created) topics go in any
   * state. Empty groups left without offsets are removed.
   */
  private expireOffsets(): void {
    const now = this.now();
    const retention = this.config.offsetsRetentionMs;
    for (const group of [...this.groups.values()]) {
      const empty = group.is(GroupState.EMPTY);
      const records: GroupLogRecord[] = [];
      for (const o of group.allOffsets()) {
        const base = group.protocolType !== null ? group.stateTimestamp : o.commitTimestamp;
        const expired = o.expireTimestamp !== null ? now >= o.expireTimestamp : now - base >= retention;
        if ((empty && expired) || !this.isLive(o)) {
          records.push({
            type: 'offset-delete',
            groupId: group.groupId,
            topic: o.topic,
            partition: o.partition,
          });
        }
      }
      const removeGroup =
        empty && records.length === group.allOffsets().length && group.pendingMembers.size === 0;
      if (removeGroup) records.push({ type: 'group-delete', groupId: group.groupId });
      if (records.length === 0) continue;
      if (!this.persist(records)) continue;
      for (const r of records) if (r.type === 'offset-delete') group.removeOffset(r.topic, r.partition);
      if (removeGroup) this.removeGroup(group);
    }
  }

  /** False for an offset of a topic that was deleted, or deleted and created again, since the commit. */
  private isLive(o: CommittedOffset): boolean {
    if (o.topicId === null) return true;
    return this.partitions.topicId(o.topic) === o.topicId;
  }

  // ---------------------------------------------------------------- Introspection

  /** A read-only view of every group (for metrics and tests). */
  snapshot(): GroupSnapshot[] {
    return [...this.groups.values()].map((g) => ({
      groupId: g.groupId,
      state: g.state,
      generationId: g.generationId,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leaderId: g.leaderId,
      memberIds: [...g.members.keys()],
      offsets: g.allOffsets().filter((o) => this.isLive(o)),
    }));
  }

  /** The partition catalog this coordinator validates against (metrics read log end offsets from it). */
  get partitionCatalog(): PartitionCatalog {
    return this.partitions;
  }

  // ---------------------------------------------------------------- Helpers

  private now(): number {
    return this.scheduler.now();
  }

  /** Schedules `task`; an exception in it (a coordinator bug) is logged instead of crashing the broker. */
  private schedule(delayMs: number, task: () => void): ReturnType<Scheduler['schedule']> {
    return this.scheduler.schedule(delayMs, () => {
      try {
        task();
      } catch (err) {
        this.logger.warn(`group coordinator timer failed: ${(err as Error).stack ?? String(err)}`);
      }
    });
  }

  /** Kafka's validateGroupStatus: JoinGroup and friends need a non-empty id; offsets/describe/delete accept `""`. */
  private validateGroup(groupId: string | null, allowEmptyId: boolean): number {
    if (groupId === null || groupId === undefined || (!allowEmptyId && groupId === ''))
      return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return ErrorCode.NONE;
  }

  /** Writes records without waiting for fsync (group generations, expirations); false when the write failed. */
  private persist(records: GroupLogRecord[]): boolean {
    try {
      this.store.write(records);
      void this.store
        .flush()
        .catch((err: Error) => this.logger.warn(`flushing group metadata failed: ${err.message}`));
      return true;
    } catch (err) {
      this.logger.warn(`writing group metadata failed: ${(err as Error).message}`);
      return false;
    }
  }

  private cancelSyncTimer(group: GroupMetadata): void {
    if (group.syncTask) this.scheduler.cancel(group.syncTask);
    group.syncTask = null;
  }

  private cancelGroupTimers(group: GroupMetadata): void {
    if (group.joinTimer) this.scheduler.cancel(group.joinTimer.task);
    group.joinTimer = null;
    this.cancelSyncTimer(group);
    for (const task of group.pendingMembers.values()) this.scheduler.cancel(task);
    group.pendingMembers.clear();
  }
}

function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    members: [],
  };
}
