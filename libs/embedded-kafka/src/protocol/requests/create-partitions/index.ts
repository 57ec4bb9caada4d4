import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { RequestContext } from '../../request-context';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';

function handle(req: CreatePartitionsRequest, ctx: RequestContext): CreatePartitionsResponse {
  const results = req.topics.map((t) => {
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

/** CreatePartitions (key 37), versions 0-1. */
export const createPartitionsApi = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: 37,
  name: 'CreatePartitions',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
  ],
  handle,
});
