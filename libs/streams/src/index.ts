/**
 * `@gmart/streams`: a Kafka Streams-like stream processing library on kafkajs.
 * See README.md for concepts, configuration and metrics.
 */
export * from './errors';
export * from './serialization';
export { Logger, LogLevel, consoleLogger } from './logger';
export type { Redactor } from './redactor';
// DSL
export { StreamsBuilder } from './kstream/streams-builder';
export {
  KStream,
  Predicate,
  ValueMapper,
  KeyValueMapper,
  ForeachAction,
  KeyValueLike,
} from './kstream/kstream';
export { BranchedKStream } from './kstream/branched-kstream';
export { KeyValue } from './kstream/key-value';
export { Consumed } from './kstream/consumed';
export { Produced } from './kstream/produced';
export { Named } from './kstream/named';
export { Branched } from './kstream/branched';
export { Printed, PrintSink } from './kstream/printed';
export { Repartitioned } from './kstream/repartitioned';
export { JoinWindows } from './kstream/join-windows';
export { StreamJoined } from './kstream/stream-joined';
export { Joined } from './kstream/joined';
export { TableJoined } from './kstream/table-joined';
export { ValueJoiner, ValueJoinerWithKey } from './kstream/value-joiner';
export { KTable } from './kstream/ktable';
export { GlobalKTable } from './kstream/global-ktable';
export { KGroupedStream } from './kstream/kgrouped-stream';
export {
  CogroupedKStream,
  TimeWindowedCogroupedKStream,
  SessionWindowedCogroupedKStream,
} from './kstream/cogrouped-kstream';
export { KGroupedTable } from './kstream/kgrouped-table';
export { Materialized, MaterializedStoreSupplier } from './kstream/materialized';
export { Grouped } from './kstream/grouped';
export { Initializer, Aggregator, Reducer, Merger } from './kstream/aggregation';
export { TimeWindows, SessionWindows } from './kstream/time-windows';
export { SlidingWindows } from './kstream/sliding-windows';
export { TimeWindowedKStream, SessionWindowedKStream } from './kstream/windowed-kstream';
export { WindowedSerdes } from './kstream/windowed-serdes';
export { Suppressed, BufferConfig, BufferFullStrategy } from './kstream/suppressed';
export {
  ValueTransformer,
  ValueTransformerWithKey,
  ValueTransformerSupplier,
} from './kstream/value-transformer';
// Processor API
export { GlobalStoreProcessorSupplier, Topology, SourceOptions } from './processor/topology';
export {
  TopologyDescription,
  GlobalStoreDescription,
  SubtopologyDescription,
  NodeDescription,
} from './processor/topology-description';
export { Processor, ProcessorSupplier } from './processor/processor';
export { ProcessorContext } from './processor/processor-context';
export { Record } from './processor/record';
export { RecordMetadata } from './processor/record-metadata';
export { RecordContext } from './processor/record-context';
export { PunctuationType, Punctuator, Cancellable } from './processor/punctuation';
export { StreamPartitioner } from './processor/stream-partitioner';
export { TopicNameExtractor } from './processor/topic-name-extractor';
export { StoreBuilder } from './processor/store-builder';
export {
  StateStore,
  StateStoreContext,
  TaskId,
  ChangelogRecord,
  StateRestoreCallback,
  StoreRegistration,
} from './processor/state-store';
export type { OffsetResetPolicy } from './processor/offset-reset-policy';
export {
  TimestampExtractor,
  ConsumedRecord,
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  UsePreviousTimeOnInvalidTimestamp,
  WallclockTimestampExtractor,
  ValueFieldTimestampExtractor,
} from './processor/timestamp-extractor';
// Runtime
export { StreamsConfig, ProcessingGuarantee } from './streams-config';
export type { TopologyOptimization } from './topology-optimization';
export { KafkaStreams } from './kafka-streams';
export {
  KafkaStreamsState,
  StateListener,
  CloseOptions,
  StoreQueryParameters,
  StreamsClient,
} from './streams-client';
export { HostInfo, HostedPartition, StreamsMetadata, KeyQueryMetadata } from './state/streams-metadata';
export { StreamsMetrics } from './metrics/streams-metrics';
export { registeredMetric } from './metrics/registered-metric';
export { MetricsRecordingLevel, METRICS_RECORDING_LEVELS } from './metrics/metrics-recording-level';
export * from './interceptors';
export type { OutgoingRecord } from './processor/outgoing-record';
// The Kafka client seam (for measuring another client against kafkajs)
export {
  KafkaClientFactory,
  ClientConnection,
  StreamsConsumer,
  StreamsProducer,
  StreamsAdmin,
  ConsumerSettings,
  ConsumerListener,
  ConsumerSubscription,
  PartitionAssignor,
  BatchControl,
  FetchedBatch,
  FetchedRecord,
  ProduceRecord,
  ProduceAck,
  ProducerSettings,
  NewTopic,
  TopicPartitionOffset,
  RebalanceProtocol,
} from './client/kafka-client';
export { KafkajsClientFactory } from './client/kafkajs/kafkajs-client-factory';
export { PlatformaticClientFactory } from './client/platformatic/platformatic-client-factory';
export { KAFKA_CLIENTS, KafkaClientName } from './client/kafka-client-name';
export { CompressionType, COMPRESSION_TYPES } from './client/compression/compression-type';
// State stores (the state engineer's public API, issue 4)
export * from './state';
