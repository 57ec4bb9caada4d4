import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { DescribeConfigsEntry, DescribeConfigsRequest, DescribeConfigsResponse } from './types';
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

/** Resource types of the Kafka admin protocol. */
export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_STATIC_BROKER = 4;
const SOURCE_DEFAULT = 5;

function entry(
  name: string,
  value: string,
  source: number,
  readOnly: boolean,
  withSynonyms: boolean,
): DescribeConfigsEntry {
  return {
    name,
    value,
    readOnly,
    isDefault: source === SOURCE_DEFAULT,
    configSource: source,
    isSensitive: false,
    synonyms: withSynonyms ? [{ name, value, source }] : [],
  };
}

function brokerConfigs(ctx: RequestContext): Record<string, string> {
  const c = ctx.services.config;
  return {
    'broker.id': String(c.nodeId),
    'auto.create.topics.enable': String(c.autoCreateTopics),
    'num.partitions': String(c.numPartitions),
    'default.replication.factor': '1',
    'offsets.topic.replication.factor': '1',
    'group.initial.rebalance.delay.ms': String(c.groupInitialRebalanceDelayMs),
    'group.min.session.timeout.ms': String(c.groupMinSessionTimeoutMs),
    'group.max.session.timeout.ms': String(c.groupMaxSessionTimeoutMs),
    'socket.request.max.bytes': String(c.maxRequestBytes),
    'log.dirs': ctx.services.dataDir,
  };
}

/** A topic's effective configs with their sources (DescribeConfigs; CreateTopics v5+ answers them too). */
export function topicConfigEntries(
  topic: { config: { values: Record<string, string> }; overrides: Readonly<Record<string, string>> },
  ctx: RequestContext,
  withSynonyms = false,
): DescribeConfigsEntry[] {
  const brokerDefaults = ctx.services.config.topicDefaults;
  return Object.entries(topic.config.values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => {
      const source =
        name in topic.overrides
          ? SOURCE_DYNAMIC_TOPIC
          : name in brokerDefaults
            ? SOURCE_STATIC_BROKER
            : SOURCE_DEFAULT;
      return entry(name, value, source, false, withSynonyms);
    });
}

function handle(req: DescribeConfigsRequest, ctx: RequestContext): DescribeConfigsResponse {
  const { logs } = ctx.services;
  const results = req.resources.map((r) => {
    const base = {
      errorCode: 0,
      errorMessage: null as string | null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: [] as DescribeConfigsEntry[],
    };
    const wanted = (name: string) =>
      r.configurationKeys === null || r.configurationKeys.length === 0 || r.configurationKeys.includes(name);
    if (r.resourceType === RESOURCE_TOPIC) {
      if (!authorize(ctx, 'DescribeConfigs', 'Topic', r.resourceName))
        return { ...base, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: null };
      const topic = logs.topic(r.resourceName);
      if (!topic)
        return {
          ...base,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `Topic '${r.resourceName}' does not exist.`,
        };
      for (const c of topicConfigEntries(topic, ctx, req.includeSynonyms))
        if (wanted(c.name)) base.configs.push(c);
      return base;
    }
    if (r.resourceType === RESOURCE_BROKER) {
      if (!authorize(ctx, 'DescribeConfigs', 'Cluster', 'kafka-cluster'))
        return { ...base, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null };
      if (r.resourceName !== '' && r.resourceName !== String(ctx.services.node.nodeId)) {
        return {
          ...base,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Unknown broker ${r.resourceName}`,
        };
      }
      for (const [name, value] of Object.entries(brokerConfigs(ctx))) {
        if (wanted(name))
          base.configs.push(entry(name, value, SOURCE_STATIC_BROKER, true, req.includeSynonyms));
      }
      return base;
    }
    return {
      ...base,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Unsupported resource type ${r.resourceType}`,
    };
  });
  return { throttleTimeMs: 0, results };
}

/**
 * DescribeConfigs (key 32), versions 0-4 (4 flexible), for topics and this
 * broker. Config types (v3+) are UNKNOWN and documentation is null.
 */
export const describeConfigsApi = defineApi<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: 32,
  name: 'DescribeConfigs',
  flexibleFromVersion: 4,
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
    { decode: v2q.decode, encode: v2r.encode },
    { decode: v3q.decode, encode: v3r.encode },
    { decode: v4q.decode, encode: v4r.encode },
  ],
  handle,
});
