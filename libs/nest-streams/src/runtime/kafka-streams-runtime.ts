import { toKafkaJsConnection } from '@gmart/kafka-connection';
import {
  KafkaStreams,
  MetricsConsumerInterceptor,
  MetricsProducerInterceptor,
  type StreamsConfig,
} from '@gmart/streams';
import type { StreamsServiceConfig } from '../config/service-config';
import type { StreamsRuntimeContext, StreamsRuntimeFactory } from './streams-runtime-factory';

/**
 * The `@gmart/streams` configuration of a service: application id, brokers, client id, commit
 * interval, state directory, TLS and SASL from the environment; the service registry and logger;
 * and the dead-letter topic (`DLQ_TOPIC`) with the `logAndContinue` deserialization and processing
 * handlers, so a record the service cannot parse or process (a tombstone its code does not expect,
 * say) goes to the dead-letter topic with the reason and never stops the service; the library's
 * metrics interceptors (consumed, sent, errors, ack latency) on the service registry; the
 * service's `redactor`, applied to every log line and dead-letter record the library writes; and
 * `applicationServer` when the service answers interactive queries.
 */
export function toStreamsConfig(
  context: Omit<StreamsRuntimeContext<StreamsServiceConfig>, 'topology'>,
): StreamsConfig {
  const { config, registry, logger, redactor, applicationServer } = context;
  const { kafka } = config;
  const interceptorClientId = kafka.clientId ?? config.applicationId;
  const { brokers, ssl, sasl } = toKafkaJsConnection(kafka);
  return {
    applicationId: config.applicationId,
    bootstrapServers: brokers,
    ...(kafka.clientId !== undefined ? { clientId: kafka.clientId } : {}),
    kafkaClient: kafka.client,
    ...(kafka.groupInstanceId !== undefined ? { groupInstanceId: kafka.groupInstanceId } : {}),
    rebalanceProtocol: kafka.rebalanceProtocol,
    ...(config.commitIntervalMs !== undefined ? { commitIntervalMs: config.commitIntervalMs } : {}),
    processingGuarantee: config.processingGuarantee,
    stateDir: config.stateDir,
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
    deserializationExceptionHandler: 'logAndContinue',
    processingExceptionHandler: 'logAndContinue',
    ...(redactor ? { redactor } : {}),
    ...(applicationServer !== undefined ? { applicationServer } : {}),
    deadLetterQueueTopic: config.dlqTopic,
    metricsRegistry: registry,
    metricsRecordingLevel: config.metricsRecordingLevel,
    consumerInterceptors: [new MetricsConsumerInterceptor(interceptorClientId, registry)],
    producerInterceptors: [new MetricsProducerInterceptor(interceptorClientId, registry)],
    logger,
  };
}

/**
 * The default {@link StreamsRuntimeFactory}: a `KafkaStreams` client over the service's topology,
 * configured by {@link toStreamsConfig}; `overrides` (e.g. `numStreamThreads`, handlers) win.
 */
export function kafkaStreamsRuntime(overrides: Partial<StreamsConfig> = {}): StreamsRuntimeFactory {
  return (context) => new KafkaStreams(context.topology, { ...toStreamsConfig(context), ...overrides });
}
