import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { TransactionCoordinator } from '../../../transaction/transaction-coordinator';
import type {
  DescribedTransaction,
  DescribeTransactionsRequest,
  DescribeTransactionsResponse,
} from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';

/**
 * DescribeTransactions (key 65), version 0 (flexible, KIP-664): state, timeout,
 * start time, producer id/epoch and partitions of transactional ids; an
 * unknown id gets TRANSACTIONAL_ID_NOT_FOUND.
 */
export function describeTransactionsApi(coordinator: TransactionCoordinator) {
  return defineApi<DescribeTransactionsRequest, DescribeTransactionsResponse>({
    apiKey: 65,
    name: 'DescribeTransactions',
    flexibleFromVersion: 0,
    versions: [{ decode: v0q.decode, encode: v0r.encode }],
    handle(req, ctx) {
      return {
        throttleTimeMs: 0,
        transactionStates: req.transactionalIds.map((id): DescribedTransaction => {
          const m = coordinator.describe(id);
          // As Kafka: DESCRIBE on the transactional id.
          const errorCode = !authorize(ctx, 'Describe', 'TransactionalId', id)
            ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
            : !coordinator.isActive
              ? ErrorCode.COORDINATOR_NOT_AVAILABLE
              : m === undefined
                ? ErrorCode.TRANSACTIONAL_ID_NOT_FOUND
                : ErrorCode.NONE;
          if (m === undefined || errorCode !== ErrorCode.NONE)
            return {
              errorCode,
              transactionalId: id,
              transactionState: '',
              transactionTimeoutMs: 0,
              transactionStartTimeMs: -1,
              producerId: -1,
              producerEpoch: -1,
              topics: [],
            };
          const topics = new Map<string, number[]>();
          for (const p of m.partitions) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition]);
          return {
            errorCode,
            transactionalId: id,
            transactionState: m.state,
            transactionTimeoutMs: m.timeoutMs,
            transactionStartTimeMs: m.startTimestamp,
            producerId: m.producerId,
            producerEpoch: m.producerEpoch,
            // Only the topics the principal may DESCRIBE, as Kafka.
            topics: [...topics]
              .filter(([topic]) => authorize(ctx, 'Describe', 'Topic', topic, false))
              .map(([topic, partitions]) => ({ topic, partitions })),
          };
        }),
      };
    },
  });
}
