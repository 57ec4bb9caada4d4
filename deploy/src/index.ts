import path from 'node:path';

export { DeployError, TopicsConfigError, TopicProvisioningError } from './errors/deploy-error';
export type { TopicSpec } from './topics/topic-spec';
export { parseTopicsFile, loadTopicsFile, mergeTopicSpecs } from './topics/topics-file';
export type { TopicsFile } from './topics/topics-file';
export { ensureTopics } from './topics/ensure-topics';
export type { TopicAdmin, EnsureTopicsReport } from './topics/ensure-topics';
export { kafkaConfigFromEnv } from './kafka/kafka-env';
export {
  FIXED_SEMI_SPACE_VARIABLE,
  PARALLEL_GC_SERVICES,
  SERVICE_MALLOC_ENV,
  SERVICE_MAX_SEMI_SPACE_MIB,
  SINGLE_THREADED_GC_FLAG,
  SINGLE_THREADED_GC_VARIABLE,
  semiSpaceCapMiB,
  serviceMallocEnv,
  serviceNodeFlags,
  setsSemiSpaceSize,
  singleThreadedGcByDefault,
} from './runtime/node-runtime';
export {
  describeConsumerGroup,
  formatConsumerGroup,
  type ConsumerGroupDescription,
  type ConsumerGroupRow,
} from './consumer-groups/consumer-group-description';

/** Absolute path of `deploy/topics.yaml`, the single source of truth for G-Mart topics. */
export const DEFAULT_TOPICS_FILE = path.resolve(__dirname, '../topics.yaml');
