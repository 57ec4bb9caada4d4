import type {
  OffsetCommitRequest as CoordinatorOffsetCommitRequest,
  OffsetCommitResult,
} from '../../../coordinator/coordinator-api';

/** OffsetCommit request, every version's fields. */
export type OffsetCommitRequest = CoordinatorOffsetCommitRequest;

/** OffsetCommit response, every version's fields. */
export interface OffsetCommitResponse extends OffsetCommitResult {
  /** v3+ */
  readonly throttleTimeMs: number;
}
