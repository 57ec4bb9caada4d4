import { type StreamsRuntimeFactory, toStreamsConfig } from '@gmart/nest-streams';
import { KafkaStreams, type Topology } from '@gmart/streams';
import type { CouponQueries } from './coupon-queries';

const queriesByTopology = new WeakMap<Topology, CouponQueries>();

/** @internal Links a topology built by the module to the module's {@link CouponQueries}. */
export function bindQueries(topology: Topology, queries: CouponQueries): void {
  queriesByTopology.set(topology, queries);
}

/**
 * The coupon-join service's streams client: `@gmart/nest-streams`' configuration plus
 * `applicationServer` (this instance's HTTP `host:port`), attached to the module's
 * {@link CouponQueries} so `GET /coupons/:customerId` can ask `queryMetadataForKey`.
 */
export function couponJoinRuntime(): StreamsRuntimeFactory<Topology> {
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
