import { Inject, Injectable } from '@nestjs/common';
import { STREAMS_CONFIG, type StreamsTopologyProvider } from '@gmart/nest-streams';
import type { Topology } from '@gmart/streams';
import { LocalRewardsStores } from './local-rewards-stores';
import type { RewardsConfig } from './rewards.config';
import { RewardsQueries } from './rewards-queries';
import { bindQueries } from './rewards-runtime';
import { buildRewardsTopology } from './rewards-topology';

/**
 * Provides the rewards topology, wired to this instance's {@link LocalRewardsStores} and bound to
 * its {@link RewardsQueries} (which {@link rewardsRuntime} attaches the streams client to).
 */
@Injectable()
export class RewardsService implements StreamsTopologyProvider<Topology> {
  constructor(
    @Inject(STREAMS_CONFIG) private readonly config: RewardsConfig,
    private readonly localStores: LocalRewardsStores,
    private readonly queries: RewardsQueries,
  ) {}

  buildTopology(): Topology {
    const topology = buildRewardsTopology(this.config.topics, this.localStores);
    bindQueries(topology, this.queries);
    return topology;
  }
}
