import { Module } from '@nestjs/common';
import { STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { LocalRewardsStores } from './local-rewards-stores';
import { RewardsController } from './rewards.controller';
import { RewardsService } from './rewards.service';

/** The rewards service's Nest module: topology provider, local stores and the query endpoints. */
@Module({
  controllers: [RewardsController],
  providers: [
    { provide: LocalRewardsStores, useValue: new LocalRewardsStores() },
    RewardsService,
    { provide: STREAMS_TOPOLOGY, useExisting: RewardsService },
  ],
})
export class RewardsModule {}
