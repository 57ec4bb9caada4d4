import { defineApi } from '../../api-definition';
import type { ApiVersionCodec } from '../../api-definition';
import { AUTHORIZED_OPERATIONS_OMITTED, authorizedOperations } from '../../authorized-operations';
import { authorize, mayCreateTopic } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import type { RequestContext } from '../../request-context';
import { topicNameProblem } from '../../../log/file-log-manager';
import type { TopicInfo } from '../../../log/log-manager';
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
import * as v12q from './v12/request';
import * as v12r from './v12/response';

/** The zero UUID: "no topic id" (unknown topics asked for by name). */
const ZERO_UUID = '0'.repeat(32);

/** A topic answered with an error only (unknown, invalid, or not authorized). */
function errorTopic(name: string | null, topicId: string, errorCode: number): MetadataTopic {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function describeTopic(info: TopicInfo, ctx: RequestContext, includeOps: boolean): MetadataTopic {
  const { nodeId } = ctx.services.node;
  const partitions = [];
  for (let p = 0; p < info.partitionCount; p++) {
    partitions.push({
      errorCode: 0,
      partitionIndex: p,
      leaderId: nodeId,
      leaderEpoch: 0,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    });
  }
  return {
    errorCode: 0,
    name: info.name,
    topicId: info.topicId,
    isInternal: info.internal,
    partitions,
    topicAuthorizedOperations: includeOps
      ? authorizedOperations(ctx, 'Topic', info.name)
      : AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function handle(req: MetadataRequest, ctx: RequestContext): MetadataResponse {
  const { logs, node } = ctx.services;
  const includeOps = req.includeTopicAuthorizedOperations;
  const all = req.topics === null && req.topicIds.length === 0;
  const names = all ? logs.topicNames() : (req.topics ?? []);
  const topics: MetadataTopic[] = [];
  for (const name of names) {
    // As Kafka: a topic the principal may not DESCRIBE is left out of "all topics" and answered
    // TOPIC_AUTHORIZATION_FAILED when asked for by name, whether it exists or not.
    if (!authorize(ctx, 'Describe', 'Topic', name, !all)) {
      if (!all) topics.push(errorTopic(name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
      continue;
    }
    let info = logs.topic(name);
    if (!info && !all && req.allowAutoTopicCreation) {
      // Auto-creation needs CREATE on the cluster or the topic, else TOPIC_AUTHORIZATION_FAILED.
      if (mayCreateTopic(ctx, name)) info = logs.getOrAutoCreate(name);
      else if (ctx.services.config.autoCreateTopics && !topicNameProblem(name)) {
        topics.push(errorTopic(name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
        continue;
      }
    }
    if (!info) {
      const errorCode = topicNameProblem(name)
        ? ErrorCode.INVALID_TOPIC_EXCEPTION
        : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      topics.push(errorTopic(name, ZERO_UUID, errorCode));
      continue;
    }
    topics.push(describeTopic(info, ctx, includeOps));
  }
  for (const topicId of req.topicIds) {
    const info = logs.topicById(topicId);
    if (!info) topics.push(errorTopic(null, topicId, ErrorCode.UNKNOWN_TOPIC_ID));
    else if (!authorize(ctx, 'Describe', 'Topic', info.name))
      topics.push(errorTopic(null, topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
    else topics.push(describeTopic(info, ctx, includeOps));
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: null }],
    clusterId: ctx.services.clusterId,
    controllerId: node.nodeId,
    topics,
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations
      ? authorizedOperations(ctx, 'Cluster', 'kafka-cluster')
      : AUTHORIZED_OPERATIONS_OMITTED,
  };
}

const codecs: ApiVersionCodec<MetadataRequest, MetadataResponse>[] = [
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
  { decode: v12q.decode, encode: v12r.encode },
];

/**
 * Metadata (key 3), versions 0-12 (9+ flexible; topic ids from v10). This node
 * is the only broker and the controller. With ACLs, topics the principal may
 * not DESCRIBE are hidden (all topics) or TOPIC_AUTHORIZATION_FAILED (by name or
 * id), auto-creation needs CREATE, and authorized operations (v8+) are the
 * principal's.
 */
export const metadataApi = defineApi<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  flexibleFromVersion: 9,
  versions: codecs,
  handle,
});
