import { Inject, Injectable } from '@nestjs/common';
import { STREAMS_CONFIG, type StreamsTopologyProvider } from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import { LocalRewardsStores } from './local-rewards-stores';
import type { RewardsConfig } from './rewards.config';
import { buildRewardsTopology } from './rewards-topology';

/** Provides the rewards topology, wired to this instance's {@link LocalRewardsStores}. */
@Injectable()
export class RewardsService implements StreamsTopologyProvider {
  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: RewardsConfig,
    private readonly localStores: LocalRewardsStores,
  ) {}

  buildTopology(): Topology {
    return buildRewardsTopology(this.config.topics, this.localStores);
  }
}
