import { KafkaBrokerError } from '../../errors/kafka-broker-error';
import type { CommittedOffset } from '../committed-offset';
import type { JoinGroupMember } from '../coordinator-api';
import { GroupState, type GroupStateName, VALID_PREVIOUS_STATES } from '../group-state';
import type { ScheduledTask } from '../scheduler';
import type { MemberMetadata } from './member-metadata';

/** A rebalance-completion timer: Kafka's InitialDelayedJoin (empty group) or DelayedJoin. */
export interface JoinTimer {
  readonly task: ScheduledTask;
  /** InitialDelayedJoin waits its full delay; a DelayedJoin completes as soon as all members joined. */
  readonly initial: boolean;
}

/** A group and its committed offsets, as the coordinator holds it in memory (Kafka's GroupMetadata). */
export class GroupMetadata {
  private stateName: GroupStateName = GroupState.EMPTY;
  /** When the group entered its current state (ms). */
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  /** The protocol (assignor) selected for the current generation. */
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Members in join order (a Map keeps insertion order). */
  readonly members = new Map<string, MemberMetadata>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet rejoined, with their expiry timers. */
  readonly pendingMembers = new Map<string, ScheduledTask>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** A member joined during the initial rebalance delay, so the delay may be extended. */
  newMemberAdded = false;
  joinTimer: JoinTimer | null = null;
  /** Expires members that never send SyncGroup (rebalance timeout). */
  syncTask: ScheduledTask | null = null;
  /** Committed offsets by topic, then partition. */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();

  constructor(
    readonly groupId: string,
    now: number,
  ) {
    this.stateTimestamp = now;
  }

  get state(): GroupStateName {
    return this.stateName;
  }

  is(state: GroupStateName): boolean {
    return this.stateName === state;
  }

  /** Moves to `state`; a transition Kafka does not allow is a coordinator bug and throws. */
  transitionTo(state: GroupStateName, now: number): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.stateName)) {
      throw new KafkaBrokerError(`group ${this.groupId}: illegal transition ${this.stateName} -> ${state}`);
    }
    this.stateName = state;
    this.stateTimestamp = now;
  }

  /** Stable, CompletingRebalance and Empty groups may start a rebalance. */
  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.stateName);
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: MemberMetadata): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
  }

  /** The member with this group.instance.id (static membership, KIP-345), if any. */
  staticMember(groupInstanceId: string): MemberMetadata | undefined {
    for (const m of this.members.values()) if (m.groupInstanceId === groupInstanceId) return m;
    return undefined;
  }

  /** Puts `member` in place of `oldMemberId` (a static member rejoining under a new member id). */
  replace(oldMemberId: string, member: MemberMetadata): void {
    this.members.delete(oldMemberId);
    this.members.set(member.memberId, member);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(member.memberId);
    if (this.leaderId === oldMemberId) this.leaderId = member.memberId;
  }

  /**
   * Whether a request naming `memberId` and `groupInstanceId` comes from a
   * fenced instance: the instance id belongs to a member with another id.
   */
  isFenced(memberId: string, groupInstanceId: string | null | undefined): boolean {
    if (groupInstanceId === null || groupInstanceId === undefined) return false;
    const current = this.staticMember(groupInstanceId);
    return current !== undefined && current.memberId !== memberId;
  }

  remove(memberId: string): void {
    this.members.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
  }

  /** Every member has rejoined and no member id handed out is still pending. */
  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.isAwaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** Members that have not rejoined in the current rebalance. */
  notYetRejoinedMembers(): MemberMetadata[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** The largest rebalance timeout of the members (how long a rebalance may wait for them). */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Protocols every member supports (optionally ignoring one member). */
  candidateProtocols(exceptMemberId?: string): Set<string> {
    let candidates: Set<string> | null = null;
    for (const m of this.members.values()) {
      if (m.memberId === exceptMemberId) continue;
      const names = new Set(m.protocolNames());
      const previous: Set<string> | null = candidates;
      candidates = previous === null ? names : new Set([...previous].filter((n: string) => names.has(n)));
    }
    return candidates ?? new Set();
  }

  /** Whether a member of `protocolType` supporting `protocols` may join (Kafka's supportsProtocols). */
  supportsProtocols(protocolType: string, protocols: readonly string[], memberId?: string): boolean {
    if (this.is(GroupState.EMPTY)) return protocolType.length > 0 && protocols.length > 0;
    if (this.protocolType !== protocolType) return false;
    const others = [...this.members.keys()].some((id) => id !== memberId);
    if (!others) return protocols.length > 0;
    const candidates = this.candidateProtocols(memberId);
    return protocols.some((p) => candidates.has(p));
  }

  /** The protocol with most votes among those all members support; ties go to the earliest voter's choice. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = -1;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    if (best === null)
      throw new KafkaBrokerError(`group ${this.groupId} has no members to select a protocol`);
    return best;
  }

  /** If the leader has not rejoined, makes any rejoined member the leader; false when none rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  /** Starts the next generation: CompletingRebalance with members, Empty without. */
  initNextGeneration(now: number): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo(GroupState.COMPLETING_REBALANCE, now);
    } else {
      this.protocolName = null;
      this.transitionTo(GroupState.EMPTY, now);
    }
  }

  /** Members and their metadata for the selected protocol (the leader's JoinGroup response). */
  currentMemberMetadata(): JoinGroupMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(this.protocolName),
    }));
  }

  offset(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  putOffset(o: CommittedOffset): void {
    let byPartition = this.offsets.get(o.topic);
    if (byPartition === undefined) {
      byPartition = new Map();
      this.offsets.set(o.topic, byPartition);
    }
    byPartition.set(o.partition, o);
  }

  removeOffset(topic: string, partition: number): void {
    const byPartition = this.offsets.get(topic);
    if (byPartition === undefined) return;
    byPartition.delete(partition);
    if (byPartition.size === 0) this.offsets.delete(topic);
  }

  allOffsets(): CommittedOffset[] {
    const out: CommittedOffset[] = [];
    for (const byPartition of this.offsets.values()) for (const o of byPartition.values()) out.push(o);
    return out;
  }

  hasOffsets(): boolean {
    return this.offsets.size > 0;
  }
}
