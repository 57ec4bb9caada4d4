import * as path from 'node:path';
import type { BrokerExtension, BrokerExtensionFactory } from '../broker/broker-extension';
import type { BrokerServices } from '../broker/broker-services';
import type { ApiDefinition } from '../protocol/api-definition';
import { deleteGroupsApi } from '../protocol/requests/delete-groups';
import { describeGroupsApi } from '../protocol/requests/describe-groups';
import { findCoordinatorApi } from '../protocol/requests/find-coordinator';
import { heartbeatApi } from '../protocol/requests/heartbeat';
import { joinGroupApi } from '../protocol/requests/join-group';
import { leaveGroupApi } from '../protocol/requests/leave-group';
import { listGroupsApi } from '../protocol/requests/list-groups';
import { offsetCommitApi } from '../protocol/requests/offset-commit';
import { offsetFetchApi } from '../protocol/requests/offset-fetch';
import { syncGroupApi } from '../protocol/requests/sync-group';
import { registerConsumerGroupMetrics } from './consumer-group-metrics';
import { GroupCoordinator } from './group-coordinator';
import { GroupCoordinatorConfig } from './group-coordinator-config';
import { FileGroupStore } from './internals/file-group-store';
import { SystemScheduler } from './scheduler';

/** Name under which the coordinator is registered (`services.extension(GROUP_COORDINATOR_EXTENSION)`). */
export const GROUP_COORDINATOR_EXTENSION = 'group-coordinator';

/** Directory under the broker's dataDir holding the committed-offsets log. */
export const OFFSETS_DIR = '__consumer_offsets';

/** The group coordinator installed in a broker: its APIs, lifecycle, and the {@link GroupCoordinator} itself. */
export class GroupCoordinatorExtension implements BrokerExtension {
  readonly name = GROUP_COORDINATOR_EXTENSION;
  readonly apis: readonly ApiDefinition[];

  constructor(
    /** The coordinator serving this broker's groups. */
    readonly coordinator: GroupCoordinator,
  ) {
    this.apis = [
      findCoordinatorApi(coordinator),
      joinGroupApi(coordinator),
      syncGroupApi(coordinator),
      heartbeatApi(coordinator),
      leaveGroupApi(coordinator),
      offsetCommitApi(coordinator),
      offsetFetchApi(coordinator),
      describeGroupsApi(coordinator),
      listGroupsApi(coordinator),
      deleteGroupsApi(coordinator),
    ];
  }

  start(): Promise<void> {
    return this.coordinator.start();
  }

  stop(): Promise<void> {
    return this.coordinator.stop();
  }
}

/**
 * Creates the group coordinator of one broker: settings from the broker config
 * (`groupInitialRebalanceDelayMs`, `groupMin/MaxSessionTimeoutMs`), committed
 * offsets in `<dataDir>/__consumer_offsets` under the broker's fsync policy,
 * and the `kafka_consumergroup_*` gauges in the broker's metrics registry.
 */
export const createGroupCoordinatorExtension: BrokerExtensionFactory = (services: BrokerServices) => {
  const config = GroupCoordinatorConfig.of({
    initialRebalanceDelayMs: services.config.groupInitialRebalanceDelayMs,
    minSessionTimeoutMs: services.config.groupMinSessionTimeoutMs,
    maxSessionTimeoutMs: services.config.groupMaxSessionTimeoutMs,
  });
  const store = new FileGroupStore({
    dir: path.join(services.dataDir, OFFSETS_DIR),
    fsync: services.config.fsync,
    onWarning: (message) => services.logger.warn(message),
  });
  const coordinator = new GroupCoordinator({
    config,
    scheduler: new SystemScheduler(services.clock),
    store,
    partitions: {
      hasPartition: (topic, partition) => services.logs.partition(topic, partition) !== undefined,
      logEndOffset: (topic, partition) => services.logs.partition(topic, partition)?.highWatermark,
      topicId: (topic) => services.logs.topic(topic)?.topicId,
    },
    logger: { info: (m) => services.logger.info(m), warn: (m) => services.logger.warn(m) },
  });
  registerConsumerGroupMetrics(services.metrics.registry, coordinator);
  return new GroupCoordinatorExtension(coordinator);
};
