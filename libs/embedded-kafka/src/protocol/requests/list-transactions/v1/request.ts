/**
 * ListTransactions Request (Version: 1) => [state_filters] [producer_id_filters] duration_filter TAG_BUFFER
 *   state_filters => COMPACT_STRING
 *   producer_id_filters => INT64
 *   duration_filter => INT64
 */
import type { Decoder } from '../../../decoder';
import type { ListTransactionsRequest } from '../types';

export function decode(d: Decoder): ListTransactionsRequest {
  const stateFilters = d.readCompactStringArray();
  const producerIdFilters = d.readCompactArray((x) => x.readInt64());
  const durationFilterMs = d.readInt64();
  d.readTaggedFields();
  return { stateFilters, producerIdFilters, durationFilterMs };
}
