import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { TransactionCoordinator } from '../../../transaction/transaction-coordinator';
import { TRANSACTION_STATES, type TransactionState } from '../../../transaction/transaction-state';
import type { ListTransactionsRequest, ListTransactionsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';

/**
 * ListTransactions (key 66), versions 0-1 (flexible, KIP-664; v1 adds the
 * duration filter of KIP-994): transactional ids with their producer id and
 * state, filtered by state, producer id and how long they have been open.
 */
export function listTransactionsApi(coordinator: TransactionCoordinator, now: () => number) {
  return defineApi<ListTransactionsRequest, ListTransactionsResponse>({
    apiKey: 66,
    name: 'ListTransactions',
    flexibleFromVersion: 0,
    versions: [
      { decode: v0q.decode, encode: v0r.encode },
      { decode: v1q.decode, encode: v1r.encode },
    ],
    handle(req, ctx) {
      if (!coordinator.isActive)
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
          unknownStateFilters: [],
          transactionStates: [],
        };
      const known = new Set<string>(TRANSACTION_STATES);
      const states = new Set(req.stateFilters.filter((s) => known.has(s)));
      const pids = new Set(req.producerIdFilters);
      const t = now();
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        unknownStateFilters: req.stateFilters.filter((s) => !known.has(s)),
        transactionStates: coordinator
          .all()
          .filter(
            (m) =>
              // As Kafka: only the transactional ids the principal may DESCRIBE.
              authorize(ctx, 'Describe', 'TransactionalId', m.transactionalId, false) &&
              (req.stateFilters.length === 0 || states.has(m.state as TransactionState)) &&
              (pids.size === 0 || pids.has(m.producerId)) &&
              (req.durationFilterMs < 0 ||
                (m.startTimestamp >= 0 && t - m.startTimestamp > req.durationFilterMs)),
          )
          .map((m) => ({
            transactionalId: m.transactionalId,
            producerId: m.producerId,
            transactionState: m.state,
          })),
      };
    },
  });
}
