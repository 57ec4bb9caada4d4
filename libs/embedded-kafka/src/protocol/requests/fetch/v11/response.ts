/**
 * Fetch Response (Version: 11) => throttle_time_ms error_code session_id [responses]
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   session_id => INT32
 *   responses => topic [partitions]
 *     topic => STRING
 *     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       last_stable_offset => INT64
 *       log_start_offset => INT64
 *       aborted_transactions => producer_id first_offset
 *         producer_id => INT64
 *         first_offset => INT64
 *       preferred_read_replica => INT32
 *       records => RECORDS
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeShaped } from '../v0/response';
import { V7_SHAPE } from '../v7/response';

export function encode(e: Encoder, r: FetchResponse): void {
  encodeShaped(e, r, { ...V7_SHAPE, preferredReadReplica: true });
}
