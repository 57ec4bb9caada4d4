import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { RequestContext } from '../../request-context';
import { topicNameProblem } from '../../../log/file-log-manager';
import type { MetadataRequest, MetadataResponse, MetadataTopic } from './types';
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

function handle(req: MetadataRequest, ctx: RequestContext): MetadataResponse {
  const { logs, node } = ctx.services;
  const names = req.topics ?? logs.topicNames();
  const topics: MetadataTopic[] = names.map((name) => {
    const info = req.topics && req.allowAutoTopicCreation ? logs.getOrAutoCreate(name) : logs.topic(name);
    if (!info) {
      const errorCode = topicNameProblem(name)
        ? ErrorCode.INVALID_TOPIC_EXCEPTION
        : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      return { errorCode, name, isInternal: false, partitions: [] };
    }
    const partitions = [];
    for (let p = 0; p < info.partitionCount; p++) {
      partitions.push({
        errorCode: 0,
        partitionIndex: p,
        leaderId: node.nodeId,
        replicaNodes: [node.nodeId],
        isrNodes: [node.nodeId],
      });
    }
    return { errorCode: 0, name, isInternal: info.internal, partitions };
  });
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: null }],
    clusterId: ctx.services.clusterId,
    controllerId: node.nodeId,
    topics,
  };
}

/** Metadata (key 3), versions 0-4. This node is the only broker and the controller. */
export const metadataApi = defineApi<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
  ],
  handle,
});
