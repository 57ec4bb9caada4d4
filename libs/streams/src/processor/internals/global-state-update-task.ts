import type { Registry } from 'prom-client';
import { TaskFailedError } from '../../errors/processing-error';
import { HandlerResponse } from '../../errors/error-handler-context';
import { StreamsError } from '../../errors/streams-error';
import type { MetricsRecordingLevel } from '../../metrics/metrics-recording-level';
import type { Serde } from '../../serialization/serde';
import type { ContextWithMetricsRegistry } from '../../state/internals/metrics-context';
import { toTimestampedChangelogRecords } from '../../state/internals/timestamped-record-converter';
import type { Cancellable } from '../punctuation';
import type { FetchedRecord } from '../../client/kafka-client';
import type { StateRestoreCallback, StateStore, TaskId } from '../state-store';
import type { TimestampExtractor } from '../timestamp-extractor';
import type { ConsumedRaw } from './consumed-raw';
import type { GlobalStateManager } from './global-state-manager';
import type { InternalTopologyBuilder } from './internal-topology-builder';
import { ProcessorContextImpl } from './processor-context-impl';
import type { ProcessingTask } from './processing-task';
import { buildProcessorTopology, type ProcessorTopology } from './processor-topology';
import type { RecordCollector } from './record-collector';
import { processThroughSource, readSourceRecord } from './source-record';
import { type ErrorRoutingEnv, TaskErrorRouter, toError } from './task-error-router';
import type { DropLog, DropReason } from './task-sensors';

/** What the global task needs from its runtime (the global stream thread or the test driver). */
export interface GlobalTaskEnv extends Omit<ErrorRoutingEnv, 'collector'> {
  readonly applicationId: string;
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
  readonly defaultTimestampExtractor?: TimestampExtractor;
  readonly cacheMaxBytes: number;
  readonly metricsRegistry?: Registry;
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
  time(): number;
}

/** Global processors only update their store: nothing may be written to a topic. */
const NO_SINKS: RecordCollector = {
  send() {
    throw new TaskFailedError('A global store processor cannot write to topics');
  },
  partitionsFor: () => 1,
  flush: async () => undefined,
};

/**
 * Kafka Streams' `GlobalStateUpdateTask`: runs every global store's source and processor (for the
 * DSL, a `KTableSource` writing the store) on the records of the global topics, in the order the
 * runtime reads them. Deserialization errors go to the deserialization handler (no dead-letter
 * topic here: the global consumer has no producer), processing errors to the processing handler.
 * The same class serves the runtime's global thread and the test driver.
 */
export class GlobalStateUpdateTask implements ProcessingTask {
  /** One object per task: the record cache of a task is keyed by its id object. */
  readonly id: TaskId = { subtopology: -1, partition: -1, toString: () => 'global' };
  readonly context: ProcessorContextImpl;
  readonly topology: ProcessorTopology;
  streamTime = -1;
  private readonly errors: TaskErrorRouter;
  private readonly stores = new Map<string, StateStore>();
  private readonly partitionTimes = new Map<string, number>();
  private readonly restoreCallbacks = new Map<string, StateRestoreCallback>();
  /** Stores restored raw from their topic, by topic. */
  private readonly rawRestored = new Map<string, string>();
  private initialized = false;

  constructor(
    private readonly builder: InternalTopologyBuilder,
    readonly env: GlobalTaskEnv,
    private readonly stateManager: GlobalStateManager,
  ) {
    const globals = builder.globalStores();
    this.topology = buildProcessorTopology(
      builder,
      {
        id: -1,
        nodeNames: globals.flatMap((g) => [g.sourceName, g.processorName]),
        sourceTopics: globals.map((g) => g.topic),
        sourcePatterns: [],
        sinkTopics: [],
        storeNames: globals.map((g) => g.storeName),
        sourceChangelogs: new Map(),
      },
      env,
    );
    this.context = new ProcessorContextImpl(this);
    this.errors = new TaskErrorRouter(
      { ...env, collector: NO_SINKS },
      'global',
      -1,
      () => this.context.current,
    );
    for (const g of globals) if (!g.reprocessOnRestore) this.rawRestored.set(g.topic, g.storeName);
  }

  get applicationId(): string {
    return this.env.applicationId;
  }
  get defaultKeySerde(): Serde<unknown> {
    return this.env.defaultKeySerde;
  }
  get defaultValueSerde(): Serde<unknown> {
    return this.env.defaultValueSerde;
  }
  get isInitialized(): boolean {
    return this.initialized;
  }
  time(): number {
    return this.env.time();
  }
  requestCommit(): void {}
  recordDropped(reason: DropReason, log?: DropLog): void {
    this.env.sensors.dropped(reason);
    if (log) this.env.logger.warn(log.message, { taskId: 'global', reason, ...log.fields });
  }
  partitionsFor(): number {
    return 1;
  }

  /** Opens the global stores (registered with the state manager), then initializes the processors. */
  async initialize(): Promise<void> {
    await this.stateManager.initialize();
    const topicOf = new Map(this.builder.globalStores().map((g) => [g.storeName, g.topic]));
    for (const sb of this.topology.storeBuilders) {
      const store = sb.build();
      this.stores.set(sb.name, store);
      await store.init(this.storeContext(), store);
      this.stateManager.registerStore(store, topicOf.get(sb.name)!);
    }
    for (const node of this.topology.nodes) {
      this.context.currentNode = node;
      node.init(this.context);
    }
    this.context.currentNode = null;
    this.initialized = true;
  }

  private storeContext(): ContextWithMetricsRegistry {
    return {
      metricsRegistry: this.env.metricsRegistry,
      metricsRecordingLevel: this.env.metricsRecordingLevel,
      applicationId: this.env.applicationId,
      taskId: this.id,
      stateDir: this.stateManager.dir,
      cacheMaxBytes: this.env.cacheMaxBytes,
      // The source topic is the changelog: bootstrap writes it through this callback (raw restore).
      register: (store, restore) => void this.restoreCallbacks.set(store.name, restore),
      logChange: (name) => {
        throw new StreamsError(`Global store "${name}" cannot log changes: its topic is its changelog`);
      },
      currentTimestamp: () => this.context.current?.timestamp ?? this.streamTime,
    };
  }

  getStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  getGlobalStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  schedule(nodeName: string): Cancellable {
    throw new StreamsError(`Global store processor "${nodeName}" cannot schedule punctuators`);
  }

  send(nodeName: string, topic: string): void {
    throw new TaskFailedError(`Global store processor "${nodeName}" cannot write to topic "${topic}"`);
  }

  handleSerializationError(): HandlerResponse {
    return HandlerResponse.FAIL;
  }

  /** True when records of `topic` bootstrap straight into their store (Kafka Streams' raw restore). */
  restoresRaw(topic: string): boolean {
    return this.rawRestored.has(topic);
  }

  /**
   * Bootstrap of a DSL global table (Kafka Streams' `GlobalStateManagerImpl.restoreState` with the
   * timestamped record converter): records with a key go straight into the store's bytes layer as
   * changelog records, the value prefixed with the record's timestamp; a null value deletes. No
   * deserialization. Returns the number of records restored.
   */
  async restoreRaw(topic: string, records: readonly FetchedRecord[]): Promise<number> {
    const storeName = this.rawRestored.get(topic);
    const restore = storeName === undefined ? undefined : this.restoreCallbacks.get(storeName);
    if (!restore) throw new StreamsError(`No global store restores from topic "${topic}"`);
    for (const r of records) if (r.undecodable) throw r.undecodable; // a store must not silently miss records
    const batch = toTimestampedChangelogRecords(records);
    if (batch.length) await restore(batch);
    return batch.length;
  }

  /** Updates the global stores with one record of a global topic. Throws when the thread must stop. */
  process(raw: ConsumedRaw): void {
    const source = this.topology.sourceFor(raw.topic);
    if (!source) throw new TaskFailedError(`No global store reads topic "${raw.topic}"`);
    const partitionKey = `${raw.partition}\u0000${raw.topic}`;
    const partitionTime = this.partitionTimes.get(partitionKey) ?? -1;
    const record = readSourceRecord(source, raw, this.errors, partitionTime);
    if (!record) return;
    const { timestamp } = record;
    if (!(timestamp >= 0)) {
      this.env.sensors.dropped('invalid_timestamp');
      return;
    }
    if (timestamp > partitionTime) this.partitionTimes.set(partitionKey, timestamp);
    if (timestamp > this.streamTime) this.streamTime = timestamp;
    processThroughSource(this.context, source, this.errors, raw, record);
  }

  /** Closes the processors (the state manager closes the stores). */
  close(): void {
    for (const node of this.topology.nodes) {
      try {
        node.close();
      } catch (error) {
        this.env.logger.warn('Closing a global processor failed', { node: node.name, error: toError(error) });
      }
    }
  }
}
