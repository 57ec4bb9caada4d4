/**
 * Fetch Response (Version: 5) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => topic [partitions]
 *     topic => STRING
 *     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       last_stable_offset => INT64
 *       log_start_offset => INT64
 *       aborted_transactions => producer_id first_offset
 *         producer_id => INT64
 *         first_offset => INT64
 *       records => RECORDS
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';
import { encodeShaped } from '../v0/response';
import { V4_SHAPE } from '../v4/response';

export const V5_SHAPE = { ...V4_SHAPE, logStartOffset: true };

export function encode(e: Encoder, r: FetchResponse): void {
  encodeShaped(e, r, V5_SHAPE);
}
