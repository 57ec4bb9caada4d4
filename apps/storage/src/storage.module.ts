import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { STREAMS_CONFIG, STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { PurchasesController } from './purchases.controller';
import type { StorageConfig } from './storage.config';
import { StorageMongo } from './storage-mongo';
import { StorageService } from './storage.service';

/**
 * The storage service's Nest module: the MongoDB client, the topology provider and
 * `GET /purchases`. The client closes on application shutdown, after the streams' final commit.
 */
@Module({
  controllers: [PurchasesController],
  providers: [
    {
      provide: StorageMongo,
      useFactory: (config: StorageConfig) => StorageMongo.fromConfig(config),
      inject: [STREAMS_CONFIG],
    },
    StorageService,
    { provide: STREAMS_TOPOLOGY, useExisting: StorageService },
  ],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(StorageMongo) private readonly mongo: StorageMongo) {}

  async onApplicationShutdown(): Promise<void> {
    await this.mongo.close();
  }
}
