import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { mayCreateTopic } from '../../authorize';
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
import * as v5q from './v5/request';
import * as v5r from './v5/response';
import * as v6q from './v6/request';
import * as v6r from './v6/response';
import * as v7q from './v7/request';
import * as v7r from './v7/response';
import { topicConfigEntries } from '../describe-configs';
import { TopicConfig } from '../../../log/topic-config';
import type { CreateTopicsResult } from './types';

const ZERO_UUID = '0'.repeat(32);

/** A refused topic: v5+ fields at their "none" values. */
function refused(name: string, errorCode: number, errorMessage: string | null): CreateTopicsResult {
  return {
    name,
    errorCode,
    errorMessage,
    topicId: ZERO_UUID,
    numPartitions: -1,
    replicationFactor: -1,
    configs: null,
  };
}

function handle(req: CreateTopicsRequest, ctx: RequestContext): CreateTopicsResponse {
  const { logs } = ctx.services;
  const seen = new Map<string, number>();
  for (const t of req.topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  const topics = req.topics.map((t) => {
    if (seen.get(t.name)! > 1) {
      return refused(
        t.name,
        ErrorCode.INVALID_REQUEST,
        `Create topics request from client contains multiple entries for topic ${t.name}`,
      );
    }
    // As Kafka: CREATE on the cluster or on the topic, else TOPIC_AUTHORIZATION_FAILED.
    if (!mayCreateTopic(ctx, t.name))
      return refused(t.name, ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
    let partitions = t.numPartitions;
    if (t.assignments.length > 0) {
      if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
        return refused(
          t.name,
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set',
        );
      }
      const bad = t.assignments.find((a) => a.brokerIds.some((b) => b !== ctx.services.node.nodeId));
      if (bad)
        return refused(
          t.name,
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Unknown broker in replica assignment of partition ${bad.partitionIndex}`,
        );
      partitions = t.assignments.length;
    }
    const overrides: Record<string, string> = {};
    for (const c of t.configs) {
      if (c.value === null)
        return refused(
          t.name,
          ErrorCode.INVALID_CONFIG,
          `Null value not supported for topic config ${c.name}`,
        );
      overrides[c.name] = c.value;
    }
    const r = logs.createTopic(t.name, partitions, overrides, {
      validateOnly: req.validateOnly,
      replicationFactor: t.replicationFactor,
    });
    if (r.errorCode !== 0) return refused(t.name, r.errorCode, r.errorMessage);
    // validate_only: what the topic would look like; otherwise the created topic itself.
    const created = logs.topic(t.name);
    const numPartitions = partitions === -1 ? ctx.services.config.numPartitions : partitions;
    const probe =
      created && !req.validateOnly
        ? created
        : { config: TopicConfig.resolve(ctx.services.config.topicDefaults, overrides), overrides };
    return {
      name: t.name,
      errorCode: 0,
      errorMessage: null,
      topicId: req.validateOnly || !created ? ZERO_UUID : created.topicId,
      numPartitions: created && !req.validateOnly ? created.partitionCount : numPartitions,
      replicationFactor: 1,
      configs: topicConfigEntries(probe, ctx).map(({ name, value, readOnly, configSource, isSensitive }) => ({
        name,
        value,
        readOnly,
        configSource,
        isSensitive,
      })),
    };
  });
  return { throttleTimeMs: 0, topics };
}

/**
 * CreateTopics (key 19), versions 0-7 (5+ flexible: the answer carries the
 * partition count, replication factor and configs; topic id from 7).
 */
export const createTopicsApi = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  name: 'CreateTopics',
  flexibleFromVersion: 5,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
    { decode: v5q.decode, encode: v5r.encode },
    { decode: v6q.decode, encode: v6r.encode },
    { decode: v7q.decode, encode: v7r.encode },
  ],
  handle,
});
