import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { TransactionCoordinator } from '../../../transaction/transaction-coordinator';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';

/**
 * AddPartitionsToTxn (key 24), versions 0-3 (3 flexible): adds partitions to
 * the producer's open transaction (v4+, the batched broker-to-broker form of
 * KIP-890, is not served; clients negotiate v3).
 */
export function addPartitionsToTxnApi(coordinator: TransactionCoordinator) {
  return defineApi<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
    apiKey: 24,
    name: 'AddPartitionsToTxn',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0q.decode, encode: v0r.encode },
      { decode: v1q.decode, encode: v1r.encode },
      { decode: v2q.decode, encode: v2r.encode },
      { decode: v3q.decode, encode: v3r.encode },
    ],
    handle(req, ctx) {
      // As Kafka: WRITE on the transactional id (every partition TRANSACTIONAL_ID_AUTHORIZATION_FAILED),
      // then WRITE per topic (denied topics TOPIC_AUTHORIZATION_FAILED, the others OPERATION_NOT_ATTEMPTED).
      const denied = !authorize(ctx, 'Write', 'TransactionalId', req.transactionalId)
        ? null
        : new Set(req.topics.filter((t) => !authorize(ctx, 'Write', 'Topic', t.name)).map((t) => t.name));
      if (denied === null || denied.size > 0) {
        const codeOf = (topic: string) =>
          denied === null
            ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
            : denied.has(topic)
              ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
              : ErrorCode.OPERATION_NOT_ATTEMPTED;
        return {
          throttleTimeMs: 0,
          results: req.topics.map((t) => ({
            name: t.name,
            results: t.partitions.map((p) => ({ partitionIndex: p, errorCode: codeOf(t.name) })),
          })),
        };
      }
      const partitions = req.topics.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p })),
      );
      const fenced = ctx.apiVersion >= 2 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH;
      const codes = coordinator.addPartitions(
        req.transactionalId,
        req.producerId,
        req.producerEpoch,
        partitions,
        fenced,
      );
      let i = 0;
      return {
        throttleTimeMs: 0,
        results: req.topics.map((t) => ({
          name: t.name,
          results: t.partitions.map((p) => ({ partitionIndex: p, errorCode: codes[i++]! })),
        })),
      };
    },
  });
}
