/**
 * ListTransactions Response (Version: 0) => throttle_time_ms error_code [unknown_state_filters] [transaction_states] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   unknown_state_filters => COMPACT_STRING
 *   transaction_states => transactional_id producer_id transaction_state TAG_BUFFER
 *     transactional_id => COMPACT_STRING
 *     producer_id => INT64
 *     transaction_state => COMPACT_STRING
 */
import type { Encoder } from '../../../encoder';
import type { ListTransactionsResponse } from '../types';

export function encode(e: Encoder, r: ListTransactionsResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeCompactStringArray(r.unknownStateFilters);
  e.writeCompactArray(r.transactionStates, (x, s) =>
    x
      .writeCompactString(s.transactionalId)
      .writeInt64(s.producerId)
      .writeCompactString(s.transactionState)
      .writeTaggedFields(),
  );
  e.writeTaggedFields();
}
