import type { Topology } from '@gmart/streams';

/**
 * What a service binds to `STREAMS_TOPOLOGY`: builds the topology its streams client runs.
 * A Nest provider, so it can inject the config (`@Inject(STREAMS_CONFIG)`) and other services.
 *
 * @example
 * @Injectable()
 * export class MaskingTopology implements StreamsTopologyProvider<Topology> {
 *   constructor(@Inject(STREAMS_CONFIG) private readonly config: MaskingConfig) {}
 *   buildTopology(): Topology {
 *     const builder = new StreamsBuilder();
 *     builder.stream(this.config.topics.TRANSACTIONS, ...).mapValues(maskPurchase).to(...);
 *     return builder.build();
 *   }
 * }
 */
export interface StreamsTopologyProvider<TTopology extends Topology = Topology> {
  /** Builds the topology (called once, when the transport starts listening). */
  buildTopology(): TTopology | Promise<TTopology>;
}
