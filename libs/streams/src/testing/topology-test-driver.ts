import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { StreamsError } from '../errors/streams-error';
import { buildProcessorTopology } from '../processor/internals/processor-topology';
import {
  OutgoingRecord,
  RecordCollector,
  SendFailureCallback,
} from '../processor/internals/record-collector';
import { StreamTask, TaskSensors } from '../processor/internals/stream-task';
import { StateStore } from '../processor/state-store';
import { taskId } from '../processor/task-id';
import { Topology } from '../processor/topology';
import { Headers, Serde } from '../serialization/serde';
import { resolveConfig, ResolvedConfig, StreamsConfig } from '../streams-config';
import { InvalidStateStoreError } from '../state/errors';
import type { KeyValueStore } from '../state/key-value-store';
import type { SessionStore } from '../state/session-store';
import type { WindowStore } from '../state/window-store';
import { QueryableStoreTypes } from '../state/queryable-store-types';
import { GlobalStateManager, GLOBAL_STATE_DIR } from '../processor/internals/global-state-manager';
import { GlobalStateUpdateTask } from '../processor/internals/global-state-update-task';
import { TestInputTopic } from './test-input-topic';
import { TestOutputTopic } from './test-output-topic';

/** Test driver settings: the streams config (no brokers needed) plus the starting clock. */
export type TestDriverConfig = Partial<StreamsConfig> & {
  /** Initial mocked wall-clock time. Default `Date.now()` at construction. */
  initialWallClockTimeMs?: number;
};

class DriverCollector implements RecordCollector {
  constructor(private readonly driver: TopologyTestDriver) {}
  send(record: OutgoingRecord, _onFailure: SendFailureCallback): void {
    this.driver.captured(record);
  }
  partitionsFor(): number {
    return 1;
  }
  async flush(): Promise<void> {}
}

/**
 * Runs a topology without a broker (Kafka Streams' `TopologyTestDriver`): one task per
 * sub-topology on partition 0, the same `StreamTask` code as the runtime. Records written to a
 * topic that a sub-topology reads (repartition or `through` topics) are processed right away.
 * Stores are flushed after every piped record, so cached results show up immediately.
 */
export class TopologyTestDriver {
  private readonly config: ResolvedConfig;
  private readonly tasks: StreamTask[] = [];
  /** Updates the global stores (Kafka Streams' driver `globalStateTask`), when the topology has any. */
  private readonly globalTask: GlobalStateUpdateTask | undefined;
  private readonly globalState: GlobalStateManager | undefined;
  private readonly outputs = new Map<string, OutgoingRecord[]>();
  private readonly offsets = new Map<string, number>();
  private readonly pending: OutgoingRecord[] = [];
  private readonly dropped = new Map<string, number>();
  private readonly ownStateDir: string | undefined;
  private wallClock: number;
  private processing = false;
  private closed = false;
  private initPromise: Promise<void> | undefined;
  /** Private registry so drivers never collide on prom-client's global one. */
  private readonly registry = new Registry();

  constructor(topology: Topology, config: TestDriverConfig = {}) {
    this.ownStateDir = config.stateDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'gmart-ttd-'));
    this.config = resolveConfig(
      { applicationId: 'test-driver', stateDir: this.ownStateDir, ...config },
      false,
    );
    this.wallClock = config.initialWallClockTimeMs ?? Date.now();
    const collector = new DriverCollector(this);
    const sensors: TaskSensors = {
      dropped: (reason) => this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1),
    };
    const builder = topology.internal;
    builder.optimize(this.config.topologyOptimization);
    const asyncInits: Promise<void>[] = [];
    if (builder.globalStores().length > 0) {
      this.globalState = new GlobalStateManager(
        path.join(this.config.stateDir, this.config.applicationId, GLOBAL_STATE_DIR),
        this.config.logger,
        this.config.stateRestoreListener,
      );
      this.globalTask = new GlobalStateUpdateTask(
        builder,
        {
          applicationId: this.config.applicationId,
          logger: this.config.logger,
          deserializationHandler: this.config.deserializationHandler,
          processingHandler: this.config.processingHandler,
          productionHandler: this.config.productionHandler,
          redactor: this.config.redactor,
          sensors,
          defaultKeySerde: this.config.defaultKeySerde,
          defaultValueSerde: this.config.defaultValueSerde,
          defaultTimestampExtractor: this.config.defaultTimestampExtractor,
          cacheMaxBytes: this.config.cacheMaxBytesBuffering,
          metricsRegistry: this.config.metricsRegistry ?? this.registry,
          metricsRecordingLevel: this.config.metricsRecordingLevel,
          time: () => this.wallClock,
        },
        this.globalState,
      );
    }
    const globalTask = this.globalTask;
    for (const sub of builder.subtopologies()) {
      const pt = buildProcessorTopology(builder, sub, this.config);
      const task = new StreamTask(taskId(sub.id, 0), pt, {
        applicationId: this.config.applicationId,
        logger: this.config.logger,
        collector,
        deserializationHandler: this.config.deserializationHandler,
        processingHandler: this.config.processingHandler,
        productionHandler: this.config.productionHandler,
        deadLetterQueueTopic: this.config.deadLetterQueueTopic,
        deadLetterRecordMapper: this.config.deadLetterRecordMapper,
        redactor: this.config.redactor,
        sensors,
        defaultKeySerde: this.config.defaultKeySerde,
        defaultValueSerde: this.config.defaultValueSerde,
        stateDir: this.config.stateDir,
        cacheMaxBytes: this.config.cacheMaxBytesBuffering,
        // One record cache for all tasks, as Kafka Streams' driver has one ThreadCache.
        recordCacheOwner: this,
        changelogTopicFor: (store) =>
          builder.storeBuilders.get(store)?.loggingEnabled
            ? `${this.config.applicationId}-${store}-changelog`
            : undefined,
        metricsRegistry: this.config.metricsRegistry ?? this.registry,
        metricsRecordingLevel: this.config.metricsRecordingLevel,
        globalStore: (name) => globalTask?.getStore(name),
        time: () => this.wallClock,
      });
      this.tasks.push(task);
    }
    // Processors may read global stores from init(): the global stores open first (asynchronously).
    if (globalTask) {
      asyncInits.push(
        globalTask
          .initialize()
          .then(() => Promise.all(this.tasks.map((t) => t.initialize())))
          .then(() => undefined),
      );
    } else {
      for (const task of this.tasks) {
        const res = task.initialize();
        if (res) asyncInits.push(res);
      }
    }
    if (asyncInits.length) this.initPromise = Promise.all(asyncInits).then(() => undefined);
  }

  /** Creates a driver and waits for stores that open asynchronously (e.g. persistent stores). */
  static async create(topology: Topology, config: TestDriverConfig = {}): Promise<TopologyTestDriver> {
    const d = new TopologyTestDriver(topology, config);
    if (d.initPromise) await d.initPromise;
    d.initPromise = undefined;
    return d;
  }

  private checkReady(): void {
    if (this.closed) throw new StreamsError('TopologyTestDriver is closed');
    if (this.initPromise)
      throw new StreamsError(
        'Some state stores open asynchronously: create the driver with `await TopologyTestDriver.create(...)`',
      );
  }

  createInputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestInputTopic<K, V> {
    if (!this.reads(topic))
      throw new StreamsError(`Unknown input topic "${topic}": no source of the topology reads it`);
    return new TestInputTopic(this, topic, keySerde, valueSerde);
  }

  createOutputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic(topic, this.queue(topic), keySerde, valueSerde);
  }

  /** Names of the topics the topology has written to so far. */
  producedTopicNames(): string[] {
    return [...this.outputs.entries()].filter(([, q]) => q.length > 0).map(([t]) => t);
  }

  /** Records dropped by handlers or invalid timestamps, by reason. */
  droppedRecords(): Record<string, number> {
    return Object.fromEntries(this.dropped);
  }

  wallClockTimeMs(): number {
    return this.wallClock;
  }

  /** Moves the mocked clock forward and fires due wall-clock punctuators. */
  advanceWallClockTime(ms: number): void {
    this.checkReady();
    if (!(ms >= 0)) throw new StreamsError(`advanceWallClockTime: ms must be >= 0, got ${ms}`);
    this.wallClock += ms;
    for (const t of this.tasks) t.punctuateWallClock(this.wallClock);
    this.drain();
  }

  /** A store of the (first) task that owns it, or the global store of that name. */
  getStateStore<S extends StateStore = StateStore>(name: string): S | undefined {
    const global = this.globalTask?.getStore(name);
    if (global) return global as S;
    for (const t of this.tasks) {
      const s = t.getStore(name);
      if (s) return s as S;
    }
    return undefined;
  }

  /**
   * The key-value store named `name` (Kafka Streams' `getKeyValueStore`), or `undefined` when the
   * topology has no store of that name. Throws when the store is of another kind.
   */
  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> | undefined {
    return this.typedStore(name, QueryableStoreTypes.keyValueStore<K, V>().accepts, 'key-value') as
      KeyValueStore<K, V> | undefined;
  }

  /** The window store named `name` (Kafka Streams' `getWindowStore`); throws when it is of another kind. */
  getWindowStore<K, V>(name: string): WindowStore<K, V> | undefined {
    return this.typedStore(name, QueryableStoreTypes.windowStore<K, V>().accepts, 'window') as
      WindowStore<K, V> | undefined;
  }

  /** The session store named `name` (Kafka Streams' `getSessionStore`); throws when it is of another kind. */
  getSessionStore<K, V>(name: string): SessionStore<K, V> | undefined {
    return this.typedStore(name, QueryableStoreTypes.sessionStore<K, V>().accepts, 'session') as
      SessionStore<K, V> | undefined;
  }

  private typedStore(
    name: string,
    accepts: (s: StateStore) => boolean,
    kind: string,
  ): StateStore | undefined {
    this.checkReady();
    const s = this.getStateStore(name);
    if (s && !accepts(s))
      throw new InvalidStateStoreError(`Store "${name}" is not a ${kind} store`, { retriable: false });
    return s;
  }

  /** @internal Used by `TestInputTopic`. */
  pipeRaw(
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void {
    this.checkReady();
    this.processOne(topic, key, value, timestamp, headers);
    this.drain();
  }

  /** @internal Called by the collector with every record the topology writes. */
  captured(record: OutgoingRecord): void {
    this.queue(record.topic).push(record);
    if (this.reads(record.topic)) this.pending.push(record);
  }

  /** True when a sub-topology or a global store reads `topic`. */
  private reads(topic: string): boolean {
    return (
      this.globalTask?.topology.sourceFor(topic) !== undefined ||
      this.tasks.some((t) => t.topology.sourceFor(topic))
    );
  }

  private queue(topic: string): OutgoingRecord[] {
    let q = this.outputs.get(topic);
    if (!q) this.outputs.set(topic, (q = []));
    return q;
  }

  private processOne(
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void {
    const offset = this.offsets.get(topic) ?? 0;
    if (this.globalTask?.topology.sourceFor(topic)) {
      // A global topic updates the global store at once (Kafka Streams' driver flushes it after each record).
      this.offsets.set(topic, offset + 1);
      this.globalTask.process({ topic, partition: 0, offset, timestamp, key, value, headers });
      for (const s of this.globalState!.allStores()) {
        const res = s.flush();
        if (res && typeof (res as Promise<void>).catch === 'function')
          (res as Promise<void>).catch(() => undefined);
      }
      return;
    }
    const task = this.tasks.find((t) => t.topology.sourceFor(topic));
    if (!task) throw new StreamsError(`Unknown input topic "${topic}"`);
    this.offsets.set(topic, offset + 1);
    task.process({ topic, partition: 0, offset, timestamp, key, value, headers });
  }

  private drain(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      for (;;) {
        while (this.pending.length) {
          const r = this.pending.shift()!;
          this.processOne(r.topic, r.key, r.value, r.timestamp, r.headers);
        }
        // Commit-like flush: caches forward what they hold; that may feed more pending records.
        for (const t of this.tasks) {
          t.checkFailure();
          for (const s of t.stateManager.allStores()) {
            const res = s.flush();
            if (res && typeof (res as Promise<void>).catch === 'function')
              (res as Promise<void>).catch(() => undefined);
          }
        }
        if (this.pending.length === 0) break;
      }
    } finally {
      this.processing = false;
    }
  }

  /** Closes every task and removes the temporary state directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.tasks) await t.close(true);
    if (this.globalTask) {
      this.globalTask.close();
      await this.globalState!.close(
        this.globalTask.topology.subtopology.sourceTopics.map((topic) => ({
          topic,
          partition: 0,
          offset: this.offsets.get(topic) ?? 0,
        })),
      );
    }
    if (this.ownStateDir) fs.rmSync(this.ownStateDir, { recursive: true, force: true });
  }
}
