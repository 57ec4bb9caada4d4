import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types';
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

const ZERO_UUID = '0'.repeat(32);

function handle(req: DeleteTopicsRequest, ctx: RequestContext): DeleteTopicsResponse {
  const { logs } = ctx.services;
  return {
    throttleTimeMs: 0,
    responses: req.topics.map((t) => {
      const byId = t.name === null && t.topicId !== null && t.topicId !== ZERO_UUID;
      const info = byId ? logs.topicById(t.topicId!) : t.name !== null ? logs.topic(t.name) : undefined;
      if (byId && !info) {
        return { name: null, topicId: t.topicId!, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: null };
      }
      const name = info?.name ?? t.name ?? '';
      const topicId = info?.topicId ?? ZERO_UUID;
      // As Kafka: DELETE on the topic (by id: DESCRIBE first, so an id does not reveal a name).
      if (byId && !authorize(ctx, 'Describe', 'Topic', name))
        return { name: null, topicId, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: null };
      if (!authorize(ctx, 'Delete', 'Topic', name))
        return { name, topicId, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: null };
      const errorCode = logs.deleteTopic(name);
      return { name, topicId, errorCode, errorMessage: null };
    }),
  };
}

/** DeleteTopics (key 20), versions 0-6 (4+ flexible; topics by name or id from 6). */
export const deleteTopicsApi = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  name: 'DeleteTopics',
  flexibleFromVersion: 4,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
    { decode: v5q.decode, encode: v5r.encode },
    { decode: v6q.decode, encode: v6r.encode },
  ],
  handle,
});
