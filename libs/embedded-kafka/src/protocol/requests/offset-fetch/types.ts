import type {
  OffsetFetchRequest as CoordinatorOffsetFetchRequest,
  OffsetFetchResult,
} from '../../../coordinator/coordinator-api';

/** OffsetFetch request, every version's fields (`topics: null` from v2 means all). */
export type OffsetFetchRequest = CoordinatorOffsetFetchRequest;

/** OffsetFetch response, every version's fields. */
export interface OffsetFetchResponse extends OffsetFetchResult {
  /** v3+ */
  readonly throttleTimeMs: number;
}
