import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';
import * as v3q from './v3/request';
import * as v3r from './v3/response';

function handle(req: CreatePartitionsRequest, ctx: RequestContext): CreatePartitionsResponse {
  const results = req.topics.map((t) => {
    if (!authorize(ctx, 'Alter', 'Topic', t.name))
      return { name: t.name, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: null };
    const badBroker = t.assignments?.some((a) => a.brokerIds.some((b) => b !== ctx.services.node.nodeId));
    if (badBroker)
      return {
        name: t.name,
        errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        errorMessage: 'Replica assignment names an unknown broker',
      };
    const r = ctx.services.logs.createPartitions(t.name, t.count, req.validateOnly);
    return { name: t.name, errorCode: r.errorCode, errorMessage: r.errorMessage };
  });
  return { throttleTimeMs: 0, results };
}

/** CreatePartitions (key 37), versions 0-3 (2+ flexible). */
export const createPartitionsApi = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: 37,
  name: 'CreatePartitions',
  flexibleFromVersion: 2,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
  ],
  handle,
});
