import { NO_RESPONSE, defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize, mayCreateTopic } from '../../authorize';
import type { RequestContext } from '../../request-context';
import { topicNameProblem } from '../../../log/file-log-manager';
import type { AppendResult } from '../../../log/partition-log';
import type { TransactionCoordinatorExtension } from '../../../transaction/transaction-coordinator-extension';
import { TRANSACTION_COORDINATOR_EXTENSION } from '../../../transaction/transaction-coordinator-name';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse } from './types';
import { produceRecordsProblem } from './validate-records';
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
import * as v6q from './v6/request';
import * as v6r from './v6/response';
import * as v7q from './v7/request';
import * as v7r from './v7/response';
import * as v8q from './v8/request';
import * as v8r from './v8/response';
import * as v9q from './v9/request';
import * as v9r from './v9/response';
import * as v10q from './v10/request';
import * as v10r from './v10/response';
import * as v11q from './v11/request';
import * as v11r from './v11/response';

function handle(req: ProduceRequest, ctx: RequestContext): ProduceResponse | typeof NO_RESPONSE {
  const { logs, clock, logger } = ctx.services;
  const now = clock.now();
  const ackError = req.acks !== 0 && req.acks !== 1 && req.acks !== -1 ? ErrorCode.INVALID_REQUIRED_ACKS : 0;
  const txns = ctx.services.extension<TransactionCoordinatorExtension>(TRANSACTION_COORDINATOR_EXTENSION);
  // As Kafka: WRITE on the transactional id for a transactional batch, then WRITE per topic.
  const transactional =
    req.transactionalId !== null &&
    (txns === undefined || !authorize(ctx, 'Write', 'TransactionalId', req.transactionalId))
      ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : 0;
  const responses = req.topics.map((t) => {
    const writable = ackError || transactional ? false : authorize(ctx, 'Write', 'Topic', t.name);
    const info = !writable
      ? undefined
      : mayCreateTopic(ctx, t.name, false)
        ? logs.getOrAutoCreate(t.name)
        : logs.topic(t.name);
    const partitions = t.partitions.map((p): ProducePartitionResponse => {
      const out = {
        index: p.index,
        errorCode: 0,
        baseOffset: -1,
        logAppendTimeMs: -1,
        logStartOffset: -1,
        errorMessage: null,
      };
      if (ackError || transactional) return { ...out, errorCode: ackError || transactional };
      if (!writable) return { ...out, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
      const log = info ? logs.partition(t.name, p.index) : undefined;
      if (!log) {
        return {
          ...out,
          errorCode: topicNameProblem(t.name)
            ? ErrorCode.INVALID_TOPIC_EXCEPTION
            : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        };
      }
      if (p.records === null)
        return { ...out, errorCode: ErrorCode.CORRUPT_MESSAGE, logStartOffset: log.logStartOffset };
      // As Kafka's KafkaApis: a refused record set fails its own partition only, answered with the
      // error code alone (no offsets, no message).
      const problem = produceRecordsProblem(ctx.apiVersion, p.records);
      if (problem) {
        logger.warn(
          `produce to ${t.name}-${p.index} from ${ctx.connection.clientId ?? '?'} refused: ${problem.message}`,
        );
        return { ...out, errorCode: problem.errorCode };
      }
      let r: AppendResult;
      try {
        r = log.append(p.records, now, (producerId, producerEpoch) =>
          txns
            ? txns.coordinator.verifyProduce(t.name, p.index, producerId, producerEpoch)
            : {
                errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                message: 'no transaction coordinator',
              },
        );
      } catch (err) {
        // The disk refused the write (ENOSPC, EIO, ...): this partition's KAFKA_STORAGE_ERROR (retriable),
        // as Kafka answers a KafkaStorageException; the request's other partitions are answered as usual.
        if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
        const message = `writing to ${t.name}-${p.index} failed: ${(err as Error).message}`;
        logger.error(`produce ${message}`);
        return { ...out, errorCode: ErrorCode.KAFKA_STORAGE_ERROR, errorMessage: message };
      }
      if (r.errorCode !== 0)
        logger.warn(
          `produce to ${t.name}-${p.index} from ${ctx.connection.clientId ?? '?'} refused: ${r.errorMessage}`,
        );
      return {
        ...out,
        errorCode: r.errorCode,
        baseOffset: r.baseOffset,
        logStartOffset: r.logStartOffset,
        errorMessage: r.errorCode !== 0 ? (r.errorMessage ?? null) : null,
      };
    });
    return { name: t.name, partitions };
  });
  // Single node: a write is on every in-sync replica once appended, so acks 1 and -1 answer at once.
  if (req.acks === 0) return NO_RESPONSE;
  return { responses, throttleTimeMs: 0 };
}

/**
 * Produce (key 0), versions 0-11 (9+ flexible; record batches of magic v2 only).
 * v8+ answers a refused batch with its error message.
 */
export const produceApi = defineApi<ProduceRequest, ProduceResponse>({
  apiKey: 0,
  name: 'Produce',
  flexibleFromVersion: 9,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
    { decode: v5q.decode, encode: v5r.encode },
    { decode: v6q.decode, encode: v6r.encode },
    { decode: v7q.decode, encode: v7r.encode },
    { decode: v8q.decode, encode: v8r.encode },
    { decode: v9q.decode, encode: v9r.encode },
    { decode: v10q.decode, encode: v10r.encode },
    { decode: v11q.decode, encode: v11r.encode },
  ],
  handle,
});
