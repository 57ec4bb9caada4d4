import type {
  OffsetFetchRequest as CoordinatorOffsetFetchRequest,
  OffsetFetchResult,
} from '../../../coordinator/coordinator-api';

/** OffsetFetch request, every version's fields (`topics: null` from v2 means all). */
export interface OffsetFetchRequest extends CoordinatorOffsetFetchRequest {
  /** v8+ (KIP-709): several groups in one request; then `groupId`/`topics` are unused. */
  readonly groups: readonly CoordinatorOffsetFetchRequest[] | null;
  /** v7+: no transactional offset commits are ever pending here, so it never waits. */
  readonly requireStable: boolean;
}

/** One group's result in a v8+ response. */
export interface OffsetFetchGroupResult extends OffsetFetchResult {
  readonly groupId: string;
}

/** OffsetFetch response, every version's fields. */
export interface OffsetFetchResponse extends OffsetFetchResult {
  /** v3+ */
  readonly throttleTimeMs: number;
  /** v8+: one result per requested group. */
  readonly groups: readonly OffsetFetchGroupResult[];
}
