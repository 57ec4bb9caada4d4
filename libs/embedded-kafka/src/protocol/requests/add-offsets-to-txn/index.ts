import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { TransactionCoordinator } from '../../../transaction/transaction-coordinator';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';

/** AddOffsetsToTxn (key 25), versions 0-3 (3 flexible): the transaction will commit offsets of a group. */
export function addOffsetsToTxnApi(coordinator: TransactionCoordinator) {
  return defineApi<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
    apiKey: 25,
    name: 'AddOffsetsToTxn',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0q.decode, encode: v0r.encode },
      { decode: v1q.decode, encode: v1r.encode },
      { decode: v2q.decode, encode: v2r.encode },
      { decode: v3q.decode, encode: v3r.encode },
    ],
    handle(req, ctx) {
      // As Kafka: WRITE on the transactional id, then READ on the group.
      if (!authorize(ctx, 'Write', 'TransactionalId', req.transactionalId))
        return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
      if (!authorize(ctx, 'Read', 'Group', req.groupId))
        return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
      const fenced = ctx.apiVersion >= 2 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH;
      return {
        throttleTimeMs: 0,
        errorCode: coordinator.addOffsets(
          req.transactionalId,
          req.producerId,
          req.producerEpoch,
          req.groupId,
          fenced,
        ),
      };
    },
  });
}
