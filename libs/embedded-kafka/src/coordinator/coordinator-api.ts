/**
 * Version-independent requests and results of the group coordinator's APIs.
 * The wire codecs (src/protocol/requests/<api>/v<N>) translate each API version
 * to and from these shapes; absent fields of old versions take the defaults
 * Kafka gives them.
 */

/** One (name, metadata) pair of a JoinGroup's protocol list, for example ("RoundRobinAssigner", subscription). */
export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** JoinGroup, versions 0-9. */
export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** v1+; v0 uses the session timeout. */
  readonly rebalanceTimeoutMs: number;
  /** `""` for a member joining for the first time. */
  readonly memberId: string;
  /**
   * v5+: static membership (KIP-345). A member joining with an unknown member id and the
   * instance id of a current member replaces it and keeps its assignment (no rebalance when the
   * group is Stable and its protocols are unchanged); requests from the replaced member id get
   * FENCED_INSTANCE_ID.
   */
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
  /** True for v4+: a new member first gets MEMBER_ID_REQUIRED and a member id to rejoin with. */
  readonly requireKnownMemberId: boolean;
  readonly clientId: string;
  readonly clientHost: string;
}

/** A member as the leader sees it in its JoinGroup response. */
export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** JoinGroup response. `members` is filled for the leader only. */
export interface JoinGroupResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  readonly members: readonly JoinGroupMember[];
}

/** SyncGroup, versions 0-5. */
export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** v5+: when given, must equal the group's (else INCONSISTENT_GROUP_PROTOCOL); null or absent before v5. */
  readonly protocolType?: string | null;
  /** v5+: when given, must equal the group's selected protocol; null or absent before v5. */
  readonly protocolName?: string | null;
  /** Sent by the leader only; empty for followers. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[];
}

/** SyncGroup response. */
export interface SyncGroupResult {
  readonly errorCode: number;
  readonly assignment: Buffer;
}

/** Heartbeat, versions 0-4. */
export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** LeaveGroup: one member (v0-2) or one of a batch (v3+, one call per member). */
export interface LeaveGroupRequest {
  readonly groupId: string;
  /** `""` with a `groupInstanceId` (v3+) names the member by its instance id. */
  readonly memberId: string;
  /** v3+: the leaving member's group.instance.id; when both are given they must match. */
  readonly groupInstanceId?: string | null;
}

/** One partition of an OffsetCommit. */
export interface OffsetCommitPartition {
  readonly partitionIndex: number;
  readonly committedOffset: number;
  /** Null is stored as `""`, as Kafka does. */
  readonly committedMetadata: string | null;
  /** v1 only; -1 means "now". */
  readonly commitTimestamp: number;
}

/** OffsetCommit, versions 0-5. */
export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 (v0, or a commit outside group management) skips the member checks when the group is empty. */
  readonly generationId: number;
  readonly memberId: string;
  /** v7+: the committing member's group.instance.id, if static. */
  readonly groupInstanceId?: string | null;
  /** v2-4; -1 means the broker's offsets retention. */
  readonly retentionTimeMs: number;
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly OffsetCommitPartition[];
  }[];
}

/** OffsetCommit response: one error code per partition. */
export interface OffsetCommitResult {
  readonly topics: readonly {
    readonly name: string;
    readonly partitions: readonly { readonly partitionIndex: number; readonly errorCode: number }[];
  }[];
}

/** OffsetFetch, versions 0-4. */
export interface OffsetFetchRequest {
  readonly groupId: string;
  /** Null (v2+) means every partition the group has committed. */
  readonly topics: readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[] | null;
}

/** One partition of an OffsetFetch response; offset -1 means nothing committed. */
export interface OffsetFetchPartition {
  readonly partitionIndex: number;
  readonly committedOffset: number;
  readonly metadata: string;
  readonly errorCode: number;
}

/** OffsetFetch response; the top-level `errorCode` is on the wire from v2. */
export interface OffsetFetchResult {
  readonly errorCode: number;
  readonly topics: readonly { readonly name: string; readonly partitions: readonly OffsetFetchPartition[] }[];
}

/** A member in a DescribeGroups response. */
export interface DescribedGroupMember {
  readonly memberId: string;
  /** DescribeGroups v4+: the member's group.instance.id (null for dynamic members). */
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Buffer;
  readonly memberAssignment: Buffer;
}

/** One group of a DescribeGroups response (versions 0-2). */
export interface DescribedGroup {
  readonly errorCode: number;
  readonly groupId: string;
  /** Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
  readonly groupState: string;
  readonly protocolType: string;
  /** The selected protocol (assignor) name, `""` unless Stable. */
  readonly protocolData: string;
  readonly members: readonly DescribedGroupMember[];
}

/** One group of a ListGroups response (versions 0-2). */
export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
  /** ListGroups v4+: Empty, PreparingRebalance, CompletingRebalance or Stable. */
  readonly groupState: string;
}

/** One group of a DeleteGroups response (versions 0-1). */
export interface DeleteGroupResult {
  readonly groupId: string;
  readonly errorCode: number;
}
