import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { TransactionCoordinatorExtension } from '../../../transaction/transaction-coordinator-extension';
import { TRANSACTION_COORDINATOR_EXTENSION } from '../../../transaction/transaction-coordinator-name';
import { ProducerIdAllocator } from './producer-id-allocator';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';
import * as v4q from './v4/request';
import * as v4r from './v4/response';
import * as v5q from './v5/request';
import * as v5r from './v5/response';

const refused = (errorCode: number): InitProducerIdResponse => ({
  throttleTimeMs: 0,
  errorCode,
  producerId: -1,
  producerEpoch: -1,
});

async function handle(req: InitProducerIdRequest, ctx: RequestContext): Promise<InitProducerIdResponse> {
  if (req.transactionalId !== null && req.transactionalId !== '') {
    // As Kafka: WRITE on the transactional id.
    if (!authorize(ctx, 'Write', 'TransactionalId', req.transactionalId))
      return refused(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    const ext = ctx.services.extension<TransactionCoordinatorExtension>(TRANSACTION_COORDINATOR_EXTENSION);
    if (!ext)
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        producerId: -1,
        producerEpoch: -1,
      };
    const expected =
      req.producerId >= 0 ? { producerId: req.producerId, producerEpoch: req.producerEpoch } : null;
    const fenced = ctx.apiVersion >= 4 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH;
    const r = await ext.coordinator.initProducerId(
      req.transactionalId,
      req.transactionTimeoutMs,
      expected,
      fenced,
    );
    return { throttleTimeMs: 0, ...r };
  }
  // Idempotent producer: IDEMPOTENT_WRITE on the cluster or (KIP-679, Kafka 3.0+) WRITE on any topic.
  const { principal } = ctx.connection.auth;
  if (
    !authorize(ctx, 'IdempotentWrite', 'Cluster', 'kafka-cluster', false) &&
    !ctx.services.authorizer.authorizeAny(principal, 'Write', 'Topic')
  ) {
    ctx.services.logger.info(
      `Principal = ${principal} is Denied Operation = IdempotentWrite on resource = Cluster:kafka-cluster`,
    );
    return refused(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  }
  const producerId = ProducerIdAllocator.for(ctx.services.dataDir).allocate();
  return { throttleTimeMs: 0, errorCode: 0, producerId, producerEpoch: 0 };
}

/**
 * InitProducerId (key 22), versions 0-5 (2+ flexible): a new id for an
 * idempotent producer; for a transactional id, its producer id with a bumped
 * epoch (fencing older incarnations), from the transaction coordinator.
 */
export const initProducerIdApi = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  name: 'InitProducerId',
  flexibleFromVersion: 2,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
    { decode: v5q.decode, encode: v5r.encode },
  ],
  handle,
});
