import { Module } from '@nestjs/common';
import { STREAMS_CONFIG, STREAMS_TOPOLOGY } from '@gmart/nest-streams';
import { LocalRewardsStores } from './local-rewards-stores';
import type { RewardsConfig } from './rewards.config';
import { RewardsController } from './rewards.controller';
import { RewardsPeers } from './rewards-peers';
import { RewardsService } from './rewards.service';

/** The rewards service's Nest module: topology provider, local stores, peers and the query endpoint. */
@Module({
  controllers: [RewardsController],
  providers: [
    { provide: LocalRewardsStores, useValue: new LocalRewardsStores() },
    {
      provide: RewardsPeers,
      useFactory: (config: RewardsConfig) => RewardsPeers.fromConfig(config.extra.REWARDS_PEERS),
      inject: [STREAMS_CONFIG],
    },
    RewardsService,
    { provide: STREAMS_TOPOLOGY, useExisting: RewardsService },
  ],
})
export class RewardsModule {}
