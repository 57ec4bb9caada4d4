import { type StreamsRuntimeFactory, toStreamsConfig } from '@gmart/nest-streams';
import {
  KafkaStreams,
  type Logger,
  LoggingConsumerInterceptor,
  LoggingProducerInterceptor,
} from '@gmart/streams';
import type { StockAnalyticsConfig } from './stock-analytics.config';

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
 * The service's streams client: `@gmart/nest-streams`' configuration (with `applicationServer`,
 * for routed interactive queries) and, with `LOG_INTERCEPTORS=true`, the seed's chapter 7
 * logging interceptors next to the metrics ones (consumed batches: topic, partition, offsets,
 * count; commits; acknowledgements: topic, partition, latency; failed sends: sizes and error;
 * never keys or values).
 */
export function stockAnalyticsRuntime(): StreamsRuntimeFactory<StockAnalyticsConfig> {
  return (context) => {
    const base = toStreamsConfig(context);
    const { extra } = context.config;
    const logInterceptors = extra.LOG_INTERCEPTORS;
    const interceptorLogger = atInfo(context.logger);
    return new KafkaStreams(context.topology, {
      ...base,
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
  };
}
