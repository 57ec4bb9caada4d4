import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { TransactionCoordinator } from '../../../transaction/transaction-coordinator';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';

/**
 * TxnOffsetCommit (key 28), versions 0-3 (3 flexible): stages a group's offsets
 * in the producer's transaction; from v3 the consumer-group metadata
 * (generation, member id, instance id; KIP-447) is checked against the group,
 * so a producer whose consumer lost its partitions cannot commit for them.
 */
export function txnOffsetCommitApi(coordinator: TransactionCoordinator) {
  return defineApi<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
    apiKey: 28,
    name: 'TxnOffsetCommit',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0q.decode, encode: v0r.encode },
      { decode: v1q.decode, encode: v1r.encode },
      { decode: v2q.decode, encode: v2r.encode },
      { decode: v3q.decode, encode: v3r.encode },
    ],
    handle(req, ctx) {
      const fenced = ctx.apiVersion >= 3 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH;
      // As Kafka: WRITE on the transactional id, READ on the group (each an error for every
      // partition), then READ per topic (denied topics TOPIC_AUTHORIZATION_FAILED, the rest staged).
      const refusedAll = !authorize(ctx, 'Write', 'TransactionalId', req.transactionalId)
        ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        : !authorize(ctx, 'Read', 'Group', req.groupId)
          ? ErrorCode.GROUP_AUTHORIZATION_FAILED
          : 0;
      const denied = new Set(
        refusedAll
          ? []
          : req.topics.filter((t) => !authorize(ctx, 'Read', 'Topic', t.name)).map((t) => t.name),
      );
      const allowedTopics = refusedAll ? [] : req.topics.filter((t) => !denied.has(t.name));
      const offsets = allowedTopics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata ?? '',
        })),
      );
      const codes =
        offsets.length === 0
          ? []
          : coordinator.commitOffsets(
              req.transactionalId,
              req.groupId,
              req.producerId,
              req.producerEpoch,
              {
                generationId: req.generationId,
                memberId: req.memberId,
                groupInstanceId: req.groupInstanceId,
              },
              offsets,
              fenced,
            );
      let i = 0;
      return {
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode:
              refusedAll || (denied.has(t.name) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : codes[i++]!),
          })),
        })),
      };
    },
  });
}
