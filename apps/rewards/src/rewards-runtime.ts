import { type StreamsRuntimeFactory, toStreamsConfig } from '@gmart/nest-streams';
import { KafkaStreams, type Topology } from '@gmart/streams';
import type { RewardsQueries } from './rewards-queries';

const queriesByTopology = new WeakMap<Topology, RewardsQueries>();

/** @internal Links a topology built by the rewards module to the module's {@link RewardsQueries}. */
export function bindQueries(topology: Topology, queries: RewardsQueries): void {
  queriesByTopology.set(topology, queries);
}

/**
 * The rewards service's streams client: `@gmart/nest-streams`' default configuration plus
 * `applicationServer` (this instance's HTTP `host:port`), attached to the module's
 * {@link RewardsQueries} so `GET /rewards/:customerId` can ask `queryMetadataForKey`.
 * Built after the HTTP server listens, so an ephemeral `HTTP_PORT=0` is known by then.
 */
export function rewardsRuntime(): StreamsRuntimeFactory<Topology> {
  return ({ topology, config, registry, logger, redactor }) => {
    const queries = queriesByTopology.get(topology);
    const streams = new KafkaStreams(topology, {
      ...toStreamsConfig(config, registry, logger, redactor),
      ...(queries ? { applicationServer: queries.applicationServer() } : {}),
    });
    queries?.attach(streams);
    return streams as unknown as ReturnType<StreamsRuntimeFactory<Topology>>;
  };
}
