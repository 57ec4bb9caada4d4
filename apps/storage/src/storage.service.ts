import { Inject, Injectable } from '@nestjs/common';
import {
  METRICS_REGISTRY,
  SERVICE_LOGGER,
  STREAMS_CONFIG,
  type StreamsTopologyProvider,
  streamsLoggerFor,
} from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { StorageConfig } from './storage.config';
import { StorageMongo } from './storage-mongo';
import { buildStorageTopology } from './storage-topology';

/** Provides the storage topology, writing through this service's MongoDB client. */
@Injectable()
export class StorageService implements StreamsTopologyProvider<Topology> {
  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: StorageConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    @Inject(StorageMongo) private readonly mongo: StorageMongo,
  ) {}

  buildTopology(): Topology {
    return buildStorageTopology({
      purchasesTopic: this.config.topics.PURCHASES,
      deadLetterTopic: this.config.dlqTopic,
      purchases: () => this.mongo.purchases(),
      securityAudit: () => this.mongo.securityAudit(),
      batchSize: this.config.extra.MONGODB_BATCH_SIZE,
      metricsRegistry: this.registry,
      logger: streamsLoggerFor(this.logger),
    });
  }
}
