import { defineApi } from '../../api-definition';
import type { RequestContext } from '../../request-context';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';

function handle(req: DeleteTopicsRequest, ctx: RequestContext): DeleteTopicsResponse {
  return {
    throttleTimeMs: 0,
    responses: req.topicNames.map((name) => ({ name, errorCode: ctx.services.logs.deleteTopic(name) })),
  };
}

/** DeleteTopics (key 20), versions 0-1. */
export const deleteTopicsApi = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  name: 'DeleteTopics',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
  ],
  handle,
});
