export type { CommittedOffset } from './committed-offset';
export type * from './coordinator-api';
export { registerConsumerGroupMetrics } from './consumer-group-metrics';
export {
  GroupCoordinator,
  type CoordinatorLogger,
  type GroupCoordinatorOptions,
  type GroupSnapshot,
  type PartitionCatalog,
} from './group-coordinator';
export { GroupCoordinatorConfig, type GroupCoordinatorSettings } from './group-coordinator-config';
export {
  GROUP_COORDINATOR_EXTENSION,
  GroupCoordinatorExtension,
  OFFSETS_DIR,
  createGroupCoordinatorExtension,
} from './group-coordinator-extension';
export { GroupState, type GroupStateName } from './group-state';
export { type ScheduledTask, type Scheduler, SystemScheduler } from './scheduler';
export { type GroupStore, MemoryGroupStore } from './internals/group-store';
export { FileGroupStore, type FileGroupStoreOptions } from './internals/file-group-store';
