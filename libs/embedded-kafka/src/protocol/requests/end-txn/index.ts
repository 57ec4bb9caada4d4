import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { TransactionCoordinator } from '../../../transaction/transaction-coordinator';
import type { EndTxnRequest, EndTxnResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';

/**
 * EndTxn (key 26), versions 0-3 (3 flexible): commits or aborts the open
 * transaction; answered once the markers are in every partition and committed
 * offsets are stored, or, if the disk refused one of those writes, once the
 * prepare is logged (the rest is retried in the background, as Kafka does).
 */
export function endTxnApi(coordinator: TransactionCoordinator) {
  return defineApi<EndTxnRequest, EndTxnResponse>({
    apiKey: 26,
    name: 'EndTxn',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0q.decode, encode: v0r.encode },
      { decode: v1q.decode, encode: v1r.encode },
      { decode: v2q.decode, encode: v2r.encode },
      { decode: v3q.decode, encode: v3r.encode },
    ],
    async handle(req, ctx) {
      if (!authorize(ctx, 'Write', 'TransactionalId', req.transactionalId))
        return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
      const fenced = ctx.apiVersion >= 2 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH;
      const errorCode = await coordinator.endTransaction(
        req.transactionalId,
        req.producerId,
        req.producerEpoch,
        req.committed,
        fenced,
      );
      return { throttleTimeMs: 0, errorCode };
    },
  });
}
