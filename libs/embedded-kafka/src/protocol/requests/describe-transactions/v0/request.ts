/**
 * DescribeTransactions Request (Version: 0) => [transactional_ids] TAG_BUFFER
 *   transactional_ids => COMPACT_STRING
 *
 * Flexible from version 0.
 */
import type { Decoder } from '../../../decoder';
import type { DescribeTransactionsRequest } from '../types';

export function decode(d: Decoder): DescribeTransactionsRequest {
  const transactionalIds = d.readCompactStringArray();
  d.readTaggedFields();
  return { transactionalIds };
}
