import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { OffsetFetchResult } from '../../../coordinator/coordinator-api';
import type { TransactionCoordinatorExtension } from '../../../transaction/transaction-coordinator-extension';
import { TRANSACTION_COORDINATOR_EXTENSION } from '../../../transaction/transaction-coordinator-name';
import { ErrorCode } from '../../error-codes';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';
import * as v3req from './v3/request';
import * as v3res from './v3/response';
import * as v4req from './v4/request';
import * as v4res from './v4/response';
import * as v5req from './v5/request';
import * as v5res from './v5/response';
import * as v6req from './v6/request';
import * as v6res from './v6/response';
import * as v7req from './v7/request';
import * as v7res from './v7/response';
import * as v8req from './v8/request';
import * as v8res from './v8/response';
import * as v9req from './v9/request';
import * as v9res from './v9/response';

/**
 * OffsetFetch of one group under ACLs, as Kafka: DESCRIBE on the group (else
 * GROUP_AUTHORIZATION_FAILED, also on each requested partition for v0-1), then
 * DESCRIBE per topic (requested topics: TOPIC_AUTHORIZATION_FAILED per partition; all
 * topics: the unauthorized ones left out).
 */
async function fetchAuthorized(
  coordinator: GroupCoordinator,
  request: OffsetFetchRequestOf,
  context: RequestContext,
): Promise<OffsetFetchResult> {
  const refused = (errorCode: number, topics: OffsetFetchRequestOf['topics']) =>
    (topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1,
        metadata: '',
        errorCode,
      })),
    }));
  if (!authorize(context, 'Describe', 'Group', request.groupId))
    return {
      errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
      topics: refused(ErrorCode.GROUP_AUTHORIZATION_FAILED, request.topics),
    };
  if (request.topics === null) {
    const r = await coordinator.fetchOffsets(request);
    return { ...r, topics: r.topics.filter((t) => authorize(context, 'Describe', 'Topic', t.name, false)) };
  }
  const allowed = request.topics.filter((t) => authorize(context, 'Describe', 'Topic', t.name));
  const denied = request.topics.filter((t) => !allowed.includes(t));
  const r =
    allowed.length > 0 || denied.length === 0
      ? await coordinator.fetchOffsets({ ...request, topics: allowed })
      : { errorCode: 0, topics: [] };
  return { ...r, topics: [...r.topics, ...refused(ErrorCode.TOPIC_AUTHORIZATION_FAILED, denied)] };
}

type OffsetFetchRequestOf = Pick<OffsetFetchRequest, 'groupId' | 'topics'>;

/**
 * OffsetFetch (key 9), versions 0-9 (6+ flexible, 8+ several groups per
 * request). Committed leader epochs (v5+) are answered as -1 (unknown).
 */
export function offsetFetchApi(coordinator: GroupCoordinator) {
  return defineApi<OffsetFetchRequest, OffsetFetchResponse>({
    apiKey: 9,
    name: 'OffsetFetch',
    flexibleFromVersion: 6,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
      { decode: v5req.decode, encode: v5res.encode },
      { decode: v6req.decode, encode: v6res.encode },
      { decode: v7req.decode, encode: v7res.encode },
      { decode: v8req.decode, encode: v8res.encode },
      { decode: v9req.decode, encode: v9res.encode },
    ],
    async handle(request, context) {
      // v7+ requireStable (KIP-447): a partition with offsets staged by an open transaction answers
      // UNSTABLE_OFFSET_COMMIT (retriable) instead of a committed offset that is about to change.
      const txns = request.requireStable
        ? context.services.extension<TransactionCoordinatorExtension>(TRANSACTION_COORDINATOR_EXTENSION)
            ?.coordinator
        : undefined;
      const stable = (groupId: string, r: OffsetFetchResult): OffsetFetchResult =>
        txns === undefined
          ? r
          : {
              ...r,
              topics: r.topics.map((t) => ({
                ...t,
                partitions: t.partitions.map((p) =>
                  txns.hasPendingOffset(groupId, t.name, p.partitionIndex)
                    ? { ...p, committedOffset: -1, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }
                    : p,
                ),
              })),
            };
      if (request.groups !== null) {
        const groups = [];
        for (const g of request.groups)
          groups.push({
            groupId: g.groupId,
            ...stable(g.groupId, await fetchAuthorized(coordinator, g, context)),
          });
        return { errorCode: 0, topics: [], throttleTimeMs: 0, groups };
      }
      const { groupId, topics } = request;
      return {
        ...stable(groupId, await fetchAuthorized(coordinator, { groupId, topics }, context)),
        throttleTimeMs: 0,
        groups: [],
      };
    },
  });
}
