import { type StreamsRuntimeFactory, toStreamsConfig } from '@gmart/nest-streams';
import {
  KafkaStreams,
  type Logger,
  LoggingConsumerInterceptor,
  LoggingProducerInterceptor,
  type Topology,
} from '@gmart/streams';
import type { StockQueries } from './stock-queries';

const queriesByTopology = new WeakMap<Topology, StockQueries>();

/** @internal Links a topology built by the module to the module's {@link StockQueries}. */
export function bindQueries(topology: Topology, queries: StockQueries): void {
  queriesByTopology.set(topology, queries);
}

/** The interceptors' debug lines at info level: `LOG_INTERCEPTORS=true` is asking to see them. */
function atInfo(logger: Logger): Logger {
  return {
    debug: (message, fields) => logger.info(message, fields),
    info: (message, fields) => logger.info(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.error(message, fields),
  };
}

/**
 * The service's streams client: `@gmart/nest-streams`' configuration plus `applicationServer`
 * (for routed interactive queries) and, with `LOG_INTERCEPTORS=true`, the seed's chapter 7
 * logging interceptors next to the metrics ones (consumed batches: topic, partition, offsets,
 * count; commits; acknowledgements: topic, partition, latency; failed sends: sizes and error;
 * never keys or values).
 */
export function stockAnalyticsRuntime(): StreamsRuntimeFactory<Topology> {
  return ({ topology, config, registry, logger }) => {
    const queries = queriesByTopology.get(topology);
    const base = toStreamsConfig(config, registry, logger);
    const extra = config.extra as { LOG_INTERCEPTORS?: boolean; CACHE_MAX_BYTES_BUFFERING?: number };
    const logInterceptors = extra.LOG_INTERCEPTORS === true;
    const interceptorLogger = atInfo(logger);
    const streams = new KafkaStreams(topology, {
      ...base,
      ...(queries ? { applicationServer: queries.applicationServer() } : {}),
      ...(extra.CACHE_MAX_BYTES_BUFFERING !== undefined
        ? { cacheMaxBytesBuffering: extra.CACHE_MAX_BYTES_BUFFERING }
        : {}),
      ...(logInterceptors
        ? {
            consumerInterceptors: [
              ...(base.consumerInterceptors ?? []),
              new LoggingConsumerInterceptor(interceptorLogger),
            ],
            producerInterceptors: [
              ...(base.producerInterceptors ?? []),
              new LoggingProducerInterceptor(interceptorLogger),
            ],
          }
        : {}),
    });
    queries?.attach(streams);
    return streams as unknown as ReturnType<StreamsRuntimeFactory<Topology>>;
  };
}
