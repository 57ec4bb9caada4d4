/** One member leaving (v3+ batch one or more; v0-2 exactly one). */
export interface LeavingMember {
  readonly memberId: string;
  /** v3+ */
  readonly groupInstanceId: string | null;
}

/** LeaveGroup request, every version's fields. */
export interface LeaveGroupRequest {
  readonly groupId: string;
  readonly members: readonly LeavingMember[];
}

/** LeaveGroup response, every version's fields. */
export interface LeaveGroupResponse {
  /** v1+ */
  readonly throttleTimeMs: number;
  /** Group-level error (v0-2: the one member's error). */
  readonly errorCode: number;
  /** v3+: one result per leaving member. */
  readonly members: readonly (LeavingMember & { readonly errorCode: number })[];
}
