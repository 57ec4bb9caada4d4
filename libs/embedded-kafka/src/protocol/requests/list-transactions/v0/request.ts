/**
 * ListTransactions Request (Version: 0) => [state_filters] [producer_id_filters] TAG_BUFFER
 *   state_filters => COMPACT_STRING
 *   producer_id_filters => INT64
 *
 * Flexible from version 0.
 */
import type { Decoder } from '../../../decoder';
import type { ListTransactionsRequest } from '../types';

export function decode(d: Decoder): ListTransactionsRequest {
  const stateFilters = d.readCompactStringArray();
  const producerIdFilters = d.readCompactArray((x) => x.readInt64());
  d.readTaggedFields();
  return { stateFilters, producerIdFilters, durationFilterMs: -1 };
}
