import path from 'node:path';

export { DeployError, TopicsConfigError, TopicProvisioningError } from './errors/deploy-error';
export type { TopicSpec } from './topics/topic-spec';
export { parseTopicsFile, loadTopicsFile, mergeTopicSpecs } from './topics/topics-file';
export type { TopicsFile } from './topics/topics-file';
export { ensureTopics } from './topics/ensure-topics';
export type { TopicAdmin, EnsureTopicsReport } from './topics/ensure-topics';
export { kafkaConfigFromEnv } from './kafka/kafka-env';

/** Absolute path of `deploy/topics.yaml`, the single source of truth for G-Mart topics. */
export const DEFAULT_TOPICS_FILE = path.resolve(__dirname, '../topics.yaml');
