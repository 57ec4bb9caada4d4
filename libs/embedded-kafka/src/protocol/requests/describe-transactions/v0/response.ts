/**
 * DescribeTransactions Response (Version: 0) => throttle_time_ms [transaction_states] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   transaction_states => error_code transactional_id transaction_state transaction_timeout_ms transaction_start_time_ms producer_id producer_epoch [topics] TAG_BUFFER
 *     error_code => INT16
 *     transactional_id => COMPACT_STRING
 *     transaction_state => COMPACT_STRING
 *     transaction_timeout_ms => INT32
 *     transaction_start_time_ms => INT64
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     topics => topic [partitions] TAG_BUFFER
 *       topic => COMPACT_STRING
 *       partitions => INT32
 */
import type { Encoder } from '../../../encoder';
import type { DescribeTransactionsResponse } from '../types';

export function encode(e: Encoder, r: DescribeTransactionsResponse): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.transactionStates, (x, s) => {
    x.writeInt16(s.errorCode).writeCompactString(s.transactionalId).writeCompactString(s.transactionState);
    x.writeInt32(s.transactionTimeoutMs).writeInt64(s.transactionStartTimeMs);
    x.writeInt64(s.producerId).writeInt16(s.producerEpoch);
    x.writeCompactArray(s.topics, (y, t) =>
      y.writeCompactString(t.topic).writeCompactInt32Array(t.partitions).writeTaggedFields(),
    );
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}
