import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types';
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
 * OffsetCommit (key 8), versions 0-9 (8+ flexible); answered once the offsets
 * are stored. The committed leader epoch (v6+) is accepted but not kept.
 */
export function offsetCommitApi(coordinator: GroupCoordinator) {
  return defineApi<OffsetCommitRequest, OffsetCommitResponse>({
    apiKey: 8,
    name: 'OffsetCommit',
    flexibleFromVersion: 8,
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
      const refuse = (names: readonly string[], errorCode: number) =>
        request.topics
          .filter((t) => names.includes(t.name))
          .map((t) => ({
            name: t.name,
            partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
          }));
      // As Kafka: READ on the group (every partition GROUP_AUTHORIZATION_FAILED), then READ per topic.
      if (!authorize(context, 'Read', 'Group', request.groupId))
        return {
          throttleTimeMs: 0,
          topics: refuse(
            request.topics.map((t) => t.name),
            ErrorCode.GROUP_AUTHORIZATION_FAILED,
          ),
        };
      const denied = request.topics
        .filter((t) => !authorize(context, 'Read', 'Topic', t.name))
        .map((t) => t.name);
      if (denied.length === 0) return { ...(await coordinator.commitOffsets(request)), throttleTimeMs: 0 };
      const allowed = request.topics.filter((t) => !denied.includes(t.name));
      const committed =
        allowed.length > 0 ? (await coordinator.commitOffsets({ ...request, topics: allowed })).topics : [];
      return {
        throttleTimeMs: 0,
        topics: [...committed, ...refuse(denied, ErrorCode.TOPIC_AUTHORIZATION_FAILED)],
      };
    },
  });
}
