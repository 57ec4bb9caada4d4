import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { RequestContext } from '../../request-context';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types';
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

function handle(req: CreateTopicsRequest, ctx: RequestContext): CreateTopicsResponse {
  const { logs } = ctx.services;
  const seen = new Map<string, number>();
  for (const t of req.topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  const topics = req.topics.map((t) => {
    if (seen.get(t.name)! > 1) {
      return {
        name: t.name,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Create topics request from client contains multiple entries for topic ${t.name}`,
      };
    }
    let partitions = t.numPartitions;
    if (t.assignments.length > 0) {
      if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
        return {
          name: t.name,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: 'Both numPartitions or replicationFactor and replicasAssignments were set',
        };
      }
      const bad = t.assignments.find((a) => a.brokerIds.some((b) => b !== ctx.services.node.nodeId));
      if (bad)
        return {
          name: t.name,
          errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `Unknown broker in replica assignment of partition ${bad.partitionIndex}`,
        };
      partitions = t.assignments.length;
    }
    const overrides: Record<string, string> = {};
    for (const c of t.configs) {
      if (c.value === null)
        return {
          name: t.name,
          errorCode: ErrorCode.INVALID_CONFIG,
          errorMessage: `Null value not supported for topic config ${c.name}`,
        };
      overrides[c.name] = c.value;
    }
    const r = logs.createTopic(t.name, partitions, overrides, {
      validateOnly: req.validateOnly,
      replicationFactor: t.replicationFactor,
    });
    return { name: t.name, errorCode: r.errorCode, errorMessage: r.errorMessage };
  });
  return { throttleTimeMs: 0, topics };
}

/** CreateTopics (key 19), versions 0-4. */
export const createTopicsApi = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  name: 'CreateTopics',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
  ],
  handle,
});
