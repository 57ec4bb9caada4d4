/** Injection token of the loaded `StreamsServiceConfig`. */
export const STREAMS_CONFIG = Symbol.for('gmart.nest-streams.config');
/** Injection token of the service's prom-client `Registry`. */
export const METRICS_REGISTRY = Symbol.for('gmart.nest-streams.metrics-registry');
/** Injection token of the service's pino `Logger`. */
export const SERVICE_LOGGER = Symbol.for('gmart.nest-streams.logger');
/**
 * Injection token the service binds to its topology: a {@link StreamsTopologyProvider}, e.g.
 * `{ provide: STREAMS_TOPOLOGY, useClass: MaskingTopology }`.
 */
export const STREAMS_TOPOLOGY = Symbol.for('gmart.nest-streams.topology');
