import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import { RESOURCE_BROKER, RESOURCE_TOPIC } from '../describe-configs';
import type { AlterConfigsRequest, AlterConfigsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';
import * as v2q from './v2/request';
import * as v2r from './v2/response';

function handle(req: AlterConfigsRequest, ctx: RequestContext): AlterConfigsResponse {
  const responses = req.resources.map((r) => {
    const base = {
      errorCode: 0,
      errorMessage: null as string | null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
    };
    if (r.resourceType === RESOURCE_TOPIC) {
      if (!authorize(ctx, 'AlterConfigs', 'Topic', r.resourceName))
        return { ...base, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: null };
      // AlterConfigs replaces the whole set of overrides; a null value leaves the config unset.
      const overrides: Record<string, string> = {};
      for (const c of r.configs) if (c.value !== null) overrides[c.name] = c.value;
      const res = ctx.services.logs.alterTopicConfig(r.resourceName, overrides, req.validateOnly);
      return { ...base, errorCode: res.errorCode, errorMessage: res.errorMessage };
    }
    if (r.resourceType === RESOURCE_BROKER) {
      if (!authorize(ctx, 'AlterConfigs', 'Cluster', 'kafka-cluster'))
        return { ...base, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null };
      return {
        ...base,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: 'Broker configs of the embedded broker are set at start and cannot be altered',
      };
    }
    return {
      ...base,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Unsupported resource type ${r.resourceType}`,
    };
  });
  return { throttleTimeMs: 0, responses };
}

/** AlterConfigs (key 33), versions 0-2 (2 flexible), for topics. */
export const alterConfigsApi = defineApi<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: 33,
  name: 'AlterConfigs',
  flexibleFromVersion: 2,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
  ],
  handle,
});
