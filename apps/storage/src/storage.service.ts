import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  METRICS_REGISTRY,
  SERVICE_LOGGER,
  STREAMS_CONFIG,
  StreamsStatus,
  type StreamsTopologyProvider,
  streamsLoggerFor,
} from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { StorageConfig } from './storage.config';
import { describeMongoError, StorageMongo } from './storage-mongo';
import { buildStorageTopology } from './storage-topology';

/** How often the running service checks that MongoDB still answers. */
const WATCHDOG_INTERVAL_MS = 2000;

/**
 * Provides the storage topology, writing through this service's MongoDB client. Before the
 * topology is built it waits for MongoDB with capped backoff (failing the start, so the process
 * exits non-zero naming MongoDB, once `MONGODB_UNAVAILABLE_BUDGET_MS` has passed); while it runs,
 * a watchdog pings MongoDB and, once it has been unreachable for that budget, fails the service
 * (`/health/live` 503, exit 1 with the cause) so Compose or Kubernetes restarts it.
 */
@Injectable()
export class StorageService implements StreamsTopologyProvider<Topology>, OnApplicationShutdown {
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: StorageConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    @Inject(StorageMongo) private readonly mongo: StorageMongo,
    @Inject(StreamsStatus) private readonly status: StreamsStatus,
  ) {}

  async buildTopology(): Promise<Topology> {
    const budgetMs = this.config.extra.MONGODB_UNAVAILABLE_BUDGET_MS;
    await this.mongo.waitUntilReachable({
      budgetMs,
      onRetry: (attempt, delayMs, error) =>
        this.logger.warn(
          { attempt, retryInMs: delayMs, budgetMs, reason: describeMongoError(error) },
          'MongoDB not reachable yet; retrying',
        ),
    });
    this.logger.info('MongoDB reachable');
    this.startWatchdog(budgetMs);
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

  private startWatchdog(budgetMs: number): void {
    let downSince: number | undefined;
    let checking = false;
    this.watchdog = setInterval(() => {
      if (checking) return;
      checking = true;
      this.mongo.ping().then(
        () => {
          if (downSince !== undefined)
            this.logger.info({ downMs: Date.now() - downSince }, 'MongoDB reachable again');
          downSince = undefined;
          checking = false;
        },
        (e: unknown) => {
          checking = false;
          const now = Date.now();
          downSince ??= now;
          const downMs = now - downSince;
          this.logger.warn({ downMs, budgetMs, reason: describeMongoError(e) }, 'MongoDB unreachable');
          if (downMs >= budgetMs) {
            this.status.fail(
              `MongoDB unreachable for ${downMs} ms (MONGODB_UNAVAILABLE_BUDGET_MS=${budgetMs}): ${describeMongoError(e)}`,
            );
          }
        },
      );
    }, WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  onApplicationShutdown(): void {
    if (this.watchdog) clearInterval(this.watchdog);
  }
}
