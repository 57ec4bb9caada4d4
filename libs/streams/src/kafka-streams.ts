import { StreamsConfigError } from './errors/config-error';
import { KafkaClientFactory } from './client/kafka-client';
import { createClientFactory } from './client/create-client-factory';
import { IllegalStateError } from './errors/illegal-state-error';
import {
  StreamThreadExceptionResponse,
  StreamsUncaughtExceptionHandler,
} from './errors/uncaught-exception-handler';
import { StreamsMetrics } from './metrics/streams-metrics';
import { prepareTopics, TopicLayout } from './processor/internals/internal-topic-manager';
import { ChangelogRestorer } from './processor/internals/changelog-restorer';
import { StreamThread, ThreadState } from './processor/internals/stream-thread';
import { GlobalStreamThread } from './processor/internals/global-stream-thread';
import type { StateRestoreListener } from './state/state-restore-listener';
import { Topology } from './processor/topology';
import {
  CloseOptions,
  KafkaStreamsState,
  StateListener,
  StoreQueryParameters,
  StreamsClient,
} from './streams-client';

export { KafkaStreamsState, type StateListener, type CloseOptions, type StoreQueryParameters };
import { resolveConfig, ResolvedConfig, StreamsConfig } from './streams-config';
import { StreamsMetadataState } from './processor/internals/streams-metadata-state';
import { StreamPartitioner } from './processor/stream-partitioner';
import { Serializer } from './serialization/serde';
import { InvalidStateStoreError } from './state/errors';
import { QueryableStoreType } from './state/queryable-store-types';
import { KeyQueryMetadata, parseHostInfo, StreamsMetadata } from './state/streams-metadata';

const TRANSITIONS: Record<KafkaStreamsState, KafkaStreamsState[]> = {
  CREATED: [
    KafkaStreamsState.REBALANCING,
    KafkaStreamsState.PENDING_SHUTDOWN,
    KafkaStreamsState.PENDING_ERROR,
  ],
  REBALANCING: [
    KafkaStreamsState.RUNNING,
    KafkaStreamsState.PENDING_SHUTDOWN,
    KafkaStreamsState.PENDING_ERROR,
  ],
  RUNNING: [
    KafkaStreamsState.REBALANCING,
    KafkaStreamsState.PENDING_SHUTDOWN,
    KafkaStreamsState.PENDING_ERROR,
  ],
  PENDING_SHUTDOWN: [KafkaStreamsState.NOT_RUNNING],
  NOT_RUNNING: [],
  PENDING_ERROR: [KafkaStreamsState.ERROR],
  ERROR: [KafkaStreamsState.PENDING_SHUTDOWN],
};

/**
 * Runs a topology against Kafka (Kafka Streams' `KafkaStreams`): one consumer group named after
 * `applicationId`, `numStreamThreads` consumers each with a producer, tasks per sub-topology and
 * partition, internal topics created up front, at-least-once commits.
 */
export class KafkaStreams implements StreamsClient {
  private readonly config: ResolvedConfig;
  private readonly metrics: StreamsMetrics;
  private readonly clients: KafkaClientFactory;
  private currentState = KafkaStreamsState.CREATED;
  private listener: StateListener | undefined;
  private uncaughtHandler: StreamsUncaughtExceptionHandler | undefined;
  private threads: StreamThread[] = [];
  private globalThread: GlobalStreamThread | undefined;
  private restoreListener: StateRestoreListener | undefined;
  private threadIndex = 0;
  private layout: TopicLayout | undefined;
  private closing: Promise<void> | undefined;
  private readonly metadataState: StreamsMetadataState;
  private metadataRefresh: Promise<void> | undefined;
  private metadataStale = false;

  constructor(
    private readonly topology: Topology,
    config: StreamsConfig,
  ) {
    this.config = resolveConfig(config, true);
    topology.internal.optimize(this.config.topologyOptimization);
    this.metrics = new StreamsMetrics(this.config.metricsRegistry);
    this.uncaughtHandler = this.config.uncaughtExceptionHandler;
    this.restoreListener = this.config.stateRestoreListener;
    this.clients =
      this.config.clientFactory ??
      createClientFactory(this.config.kafkaClient, {
        bootstrapServers: this.config.bootstrapServers,
        clientId: this.config.clientId,
        ssl: this.config.ssl,
        sasl: this.config.sasl,
        options: this.config.client,
        logger: this.config.logger,
      });
    if (this.config.processingGuarantee === 'exactly_once_v2') this.checkExactlyOnceCapabilities();
    this.metadataState = new StreamsMetadataState(
      topology.internal,
      this.config.applicationId,
      () => this.layout?.partitions ?? new Map(),
    );
    this.publishState();
  }

  /**
   * `exactly_once_v2` needs a client with transactions; without KIP-447's group metadata in the
   * transactional offset commit, a stalled member is fenced only by its transaction timeout and the
   * membership check before each commit (see the README), which is logged.
   */
  private checkExactlyOnceCapabilities(): void {
    const caps = this.clients.capabilities?.();
    const client = caps?.client ?? 'the configured Kafka client';
    if (!caps?.transactions)
      throw new StreamsConfigError(
        'processingGuarantee',
        `"exactly_once_v2" needs transactional producers, which ${client} does not provide`,
      );
    if (!caps.transactionalOffsetsWithGroupMetadata)
      this.config.logger.warn(
        `exactly_once_v2 with ${client}: its transactional offset commit cannot carry the consumer group metadata (KIP-447); a member that stalls longer than its session timeout is fenced by its transaction timeout and by the membership check before each commit, not by the broker's generation check`,
      );
  }

  /** The client id this instance labels its metrics with. */
  get clientId(): string {
    return this.config.clientId;
  }

  state(): KafkaStreamsState {
    return this.currentState;
  }

  setStateListener(listener: StateListener): void {
    if (this.currentState !== KafkaStreamsState.CREATED)
      throw new IllegalStateError('setStateListener() must be called before start()');
    this.listener = listener;
  }

  setUncaughtExceptionHandler(handler: StreamsUncaughtExceptionHandler): void {
    if (this.currentState !== KafkaStreamsState.CREATED)
      throw new IllegalStateError('setUncaughtExceptionHandler() must be called before start()');
    this.uncaughtHandler = handler;
  }

  /**
   * Sets the listener told about the restoration of every store, global stores (their bootstrap
   * from the global topics) included (Kafka Streams' `setGlobalStateRestoreListener`); replaces
   * the `stateRestoreListener` config. Only before `start()`.
   */
  setGlobalStateRestoreListener(listener: StateRestoreListener): void {
    if (this.currentState !== KafkaStreamsState.CREATED)
      throw new IllegalStateError('setGlobalStateRestoreListener() must be called before start()');
    this.restoreListener = listener;
  }

  private setState(next: KafkaStreamsState): boolean {
    const old = this.currentState;
    if (old === next) return true;
    if (!TRANSITIONS[old].includes(next)) return false;
    this.currentState = next;
    this.publishState();
    this.config.logger.info('State transition', { clientId: this.config.clientId, from: old, to: next });
    try {
      this.listener?.(next, old);
    } catch (error) {
      this.config.logger.warn('State listener threw', { error });
    }
    return true;
  }

  private publishState(): void {
    for (const s of Object.values(KafkaStreamsState))
      this.metrics.state.set({ client_id: this.config.clientId, state: s }, s === this.currentState ? 1 : 0);
  }

  /**
   * Checks source topics, creates internal topics, then starts the stream threads. Resolves once
   * the consumers are running (the state becomes RUNNING when partitions are assigned and
   * tasks are restored). Rejects (state ERROR) when topics are missing or invalid.
   */
  async start(): Promise<void> {
    if (this.currentState !== KafkaStreamsState.CREATED)
      throw new IllegalStateError(
        `start() can only be called once, in state CREATED (now ${this.currentState})`,
      );
    this.setState(KafkaStreamsState.REBALANCING);
    try {
      const admin = this.clients.admin();
      await admin.connect();
      try {
        this.layout = await prepareTopics(
          this.topology.internal,
          admin,
          this.config.applicationId,
          this.config.replicationFactor,
          this.config.deadLetterQueueTopic,
          this.config.logger,
        );
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      const internal = this.topology.internal;
      if (internal.globalStores().length > 0) {
        // Global stores bootstrap before any stream thread starts (state stays REBALANCING).
        this.globalThread = new GlobalStreamThread(
          internal,
          this.config,
          this.clients,
          this.metrics,
          this.restoreListener,
          (error) => void this.onGlobalThreadFatal(error),
        );
        await this.globalThread.start();
        if (this.closing || this.state() !== KafkaStreamsState.REBALANCING) return;
      }
      if (internal.subtopologies().length === 0) {
        // Only global stores: nothing to consume in a group (Kafka Streams runs no stream thread).
        this.setState(KafkaStreamsState.RUNNING);
        return;
      }
      for (let i = 0; i < this.config.numStreamThreads; i++) await this.startThread();
    } catch (error) {
      if (this.closing) return;
      this.config.logger.error('Starting failed', { clientId: this.config.clientId, error });
      this.setState(KafkaStreamsState.PENDING_ERROR);
      await Promise.all(this.threads.map((t) => t.shutdown(false)));
      await this.globalThread?.shutdown();
      this.setState(KafkaStreamsState.ERROR);
      throw error;
    }
  }

  private restorer(): ChangelogRestorer {
    const withAdmin = async <T>(use: (admin: ReturnType<KafkaClientFactory['admin']>) => Promise<T>) => {
      const admin = this.clients.admin();
      await admin.connect();
      try {
        return await use(admin);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    };
    return {
      endOffset: (topic, partition) =>
        withAdmin(async (admin) => (await admin.endOffsets(topic)).get(partition) ?? 0),
      committedOffset: (topic, partition) =>
        withAdmin(async (admin) => {
          const committed = await admin.committedOffsets(this.config.applicationId, topic, {
            requireStable: true,
          });
          return Math.max(0, committed.get(partition) ?? 0);
        }),
      restore: async (topic, partition, fromOffset, onBatch, untilOffset = Infinity) => {
        await this.clients.readPartition(topic, partition, fromOffset, (records) =>
          onBatch(
            records
              .filter((r) => r.key !== null && r.offset < untilOffset)
              .map((r) => ({
                key: r.key as Buffer,
                value: r.value,
                timestamp: r.timestamp,
                offset: r.offset,
              })),
          ),
        );
      },
    };
  }

  private async startThread(): Promise<StreamThread> {
    const thread = new StreamThread(
      this.threadIndex++,
      this.topology.internal,
      this.config,
      this.clients,
      this.layout!,
      this.metrics,
      {
        globalStore: (name) => this.globalThread?.store(name),
        restoreListener: this.restoreListener,
        onStateChange: (_t, s) => this.onThreadState(s),
        onTasksChanged: () => this.updateTaskGauge(),
        onFatal: (t, e) => void this.onThreadFatal(t, e),
        onShutdownRequested: () => void this.onApplicationShutdown(),
      },
      this.restorer(),
    );
    this.threads.push(thread);
    this.metrics.threads.set({ client_id: this.config.clientId }, this.threads.length);
    await thread.start();
    return thread;
  }

  /** The global thread died: the client shuts down to ERROR (Kafka Streams does the same). */
  private async onGlobalThreadFatal(error: Error): Promise<void> {
    if (this.closing) return;
    this.config.logger.error('Global stream thread died; shutting down the client', { error });
    this.setState(KafkaStreamsState.PENDING_ERROR);
    this.closing = Promise.all(this.threads.map((t) => t.shutdown(true))).then(() =>
      this.globalThread?.shutdown(),
    );
    await this.closing;
    this.threads = [];
    this.setState(KafkaStreamsState.ERROR);
  }

  private onThreadState(s: ThreadState): void {
    if (this.config.applicationServer && (s === 'PARTITIONS_ASSIGNED' || s === 'RUNNING'))
      this.refreshMetadata();
    const live = this.threads.filter((t) => t.state !== 'DEAD' && t.state !== 'PENDING_SHUTDOWN');
    if (
      this.currentState !== KafkaStreamsState.RUNNING &&
      this.currentState !== KafkaStreamsState.REBALANCING
    )
      return;
    if (live.length && live.every((t) => t.state === 'RUNNING')) this.setState(KafkaStreamsState.RUNNING);
    else if (live.some((t) => t.state === 'PARTITIONS_ASSIGNED' || t.state === 'STARTING'))
      this.setState(KafkaStreamsState.REBALANCING);
    this.updateTaskGauge();
  }

  /** The instance's active tasks (`kafka_stream_active_tasks`): every stream thread's. */
  private updateTaskGauge(): void {
    this.metrics.tasks.set(
      { client_id: this.config.clientId },
      this.threads.reduce((n, t) => n + t.activeTaskCount, 0),
    );
  }

  private async onThreadFatal(thread: StreamThread, error: Error): Promise<void> {
    if (this.closing) return;
    let response = StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    if (this.uncaughtHandler) {
      try {
        response = this.uncaughtHandler(error);
      } catch (e) {
        this.config.logger.error('Uncaught exception handler threw; shutting down the client', { error: e });
      }
    }
    this.config.logger.error('Stream thread died', { thread: thread.name, response, error });
    await thread.shutdown(false);
    this.threads = this.threads.filter((t) => t !== thread);
    this.metrics.threads.set({ client_id: this.config.clientId }, this.threads.length);
    if (response === StreamThreadExceptionResponse.REPLACE_THREAD && !this.closing) {
      try {
        await this.startThread();
        return;
      } catch (e) {
        this.config.logger.error('Replacing the stream thread failed; shutting down the client', {
          error: e,
        });
      }
    }
    if (response === StreamThreadExceptionResponse.SHUTDOWN_APPLICATION) {
      this.config.logger.error(
        'SHUTDOWN_APPLICATION: asking every instance of the application to shut down',
        { applicationId: this.config.applicationId },
      );
      await this.signalApplicationShutdown(thread);
    }
    if (this.closing) return;
    this.setState(KafkaStreamsState.PENDING_ERROR);
    this.closing = Promise.all(this.threads.map((t) => t.shutdown(true))).then(() => undefined);
    await this.closing;
    this.threads = [];
    this.setState(KafkaStreamsState.ERROR);
  }

  /**
   * Joins the group with a short-lived consumer whose metadata asks for a shutdown; the group
   * leader then sends every member the shutdown signal (see the kafkajs client). Resolves when this
   * consumer got the signal itself, or after 30 s.
   */
  private async signalApplicationShutdown(template: StreamThread): Promise<void> {
    const consumer = this.clients.consumer({
      groupId: this.config.applicationId,
      clientId: `${this.config.clientId}-shutdown`,
      assignor: () => new Map(),
      options: this.config.consumer,
      requestShutdown: true,
    });
    // The signal can arrive while run() is still joining: wait for run() to settle before
    // disconnecting, or the consumer's fetch loop starts after the disconnect and never stops.
    let running: Promise<unknown> | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe(template.subscriptions());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30000);
        running = consumer
          .run(async () => undefined, {
            onShutdownRequested: () => {
              clearTimeout(timer);
              resolve();
            },
          })
          .catch(() => resolve());
      });
    } catch (error) {
      this.config.logger.error('Signalling the application shutdown failed', { error });
    } finally {
      await running;
      await consumer.disconnect().catch(() => undefined);
    }
  }

  /** Another instance asked for SHUTDOWN_APPLICATION: stop cleanly and end in ERROR, as Kafka Streams does. */
  private async onApplicationShutdown(): Promise<void> {
    if (
      this.closing ||
      this.currentState === KafkaStreamsState.PENDING_ERROR ||
      this.currentState === KafkaStreamsState.ERROR
    )
      return;
    this.config.logger.error(
      'The application is shutting down (SHUTDOWN_APPLICATION requested by a member of the group)',
      { applicationId: this.config.applicationId },
    );
    this.setState(KafkaStreamsState.PENDING_ERROR);
    this.closing = Promise.all(this.threads.map((t) => t.shutdown(true))).then(() => undefined);
    await this.closing;
    this.threads = [];
    this.setState(KafkaStreamsState.ERROR);
  }

  /**
   * A read-only view of the local stores named `storeName` across this instance's tasks
   * (Kafka Streams' `store()`). Reads go to whichever task holds the key. Throws a retriable
   * `InvalidStateStoreError` while the instance is not RUNNING (starting, rebalancing, restoring)
   * or when no task of this instance holds the store; the view itself throws the same error when
   * its tasks move away.
   */
  store<T>(params: StoreQueryParameters<T>): T {
    const { storeName, type } = params;
    if (this.topology.internal.globalStoreBuilders.has(storeName)) return this.globalStore(storeName, type);
    if (!this.topology.internal.storeBuilders.has(storeName))
      throw new InvalidStateStoreError(`store ${storeName} is not a store of this topology`, {
        retriable: false,
      });
    if (this.currentState !== KafkaStreamsState.RUNNING) {
      throw new InvalidStateStoreError(
        `store ${storeName} cannot be queried now: the instance is ${this.currentState}, not RUNNING; retry`,
        {
          retriable:
            this.currentState === KafkaStreamsState.REBALANCING ||
            this.currentState === KafkaStreamsState.CREATED,
        },
      );
    }
    const provider = () => {
      if (this.currentState !== KafkaStreamsState.RUNNING) return [];
      const stores = this.threads.flatMap((t) => t.queryableStores(storeName));
      for (const s of stores)
        if (!type.accepts(s))
          throw new InvalidStateStoreError(`store ${storeName} is not a ${type.kind} store`, {
            retriable: false,
          });
      return stores;
    };
    const view = type.create(storeName, provider);
    provider(); // throws now when this instance holds none of it, or it is of another kind
    if (this.threads.every((t) => t.queryableStores(storeName).length === 0)) {
      throw new InvalidStateStoreError(
        `store ${storeName} is not available on this instance now (no task of it here, or still restoring); retry or ask its host`,
      );
    }
    return view;
  }

  /**
   * A global store: every instance holds all of it, so it answers locally once bootstrapped, in
   * RUNNING or REBALANCING (Kafka Streams serves global stores in both states).
   */
  private globalStore<T>(storeName: string, type: QueryableStoreType<T>): T {
    const available = () =>
      this.currentState === KafkaStreamsState.RUNNING || this.currentState === KafkaStreamsState.REBALANCING
        ? this.globalThread?.store(storeName)
        : undefined;
    const first = available();
    if (!first)
      throw new InvalidStateStoreError(
        `global store ${storeName} cannot be queried now: the instance is ${this.currentState}` +
          (this.currentState === KafkaStreamsState.REBALANCING ? ' and still bootstrapping it' : '') +
          '; retry',
        {
          retriable:
            this.currentState === KafkaStreamsState.REBALANCING ||
            this.currentState === KafkaStreamsState.CREATED,
        },
      );
    if (!type.accepts(first))
      throw new InvalidStateStoreError(`store ${storeName} is not a ${type.kind} store`, {
        retriable: false,
      });
    const provider = () => {
      const s = available();
      return s ? [s] : [];
    };
    return type.create(storeName, provider);
  }

  /**
   * Every instance of the application (with `applicationServer` set) that hosts tasks of
   * `storeName`, or every instance when it is omitted (Kafka Streams' `streamsMetadataForStore`).
   */
  allMetadataForStore(storeName?: string): StreamsMetadata[] {
    // Every instance holds every global store (Kafka Streams lists them all).
    if (storeName !== undefined && this.topology.internal.globalStoreBuilders.has(storeName))
      return this.metadataState.allMetadataForStore();
    return this.metadataState.allMetadataForStore(storeName);
  }

  /**
   * Which instance holds `key` of `storeName` (Kafka Streams' `queryMetadataForKey`): the key is
   * serialized with `keySerializer` and partitioned like the store's source topic (murmur2 as the
   * Java client, or `partitioner`). `undefined` while the group's assignment is not known yet
   * (starting or rebalancing: retry). Needs `applicationServer` in the config.
   */
  queryMetadataForKey<K>(
    storeName: string,
    key: K,
    keySerializer: Serializer<K>,
    partitioner?: StreamPartitioner<K, unknown>,
  ): KeyQueryMetadata | undefined {
    if (!this.config.applicationServer)
      throw new IllegalStateError('queryMetadataForKey needs the applicationServer ("host:port") config');
    // A global store answers on every instance: this one (partition -1, as Kafka Streams).
    if (this.topology.internal.globalStoreBuilders.has(storeName))
      return { activeHost: parseHostInfo(this.config.applicationServer), standbyHosts: [], partition: -1 };
    if (!this.metadataState.hasStore(storeName))
      throw new InvalidStateStoreError(`store ${storeName} is not a store of this topology`, {
        retriable: false,
      });
    const bytes = keySerializer.serialize('', key);
    if (!bytes)
      throw new InvalidStateStoreError(`queryMetadataForKey: key of store ${storeName} serialized to null`, {
        retriable: false,
      });
    return this.metadataState.metadataForKey(
      storeName,
      bytes,
      partitioner ? (n) => partitioner.partition('', key, undefined, n) : undefined,
    );
  }

  /** Rebuilds the host map from the group description (after each rebalance); one refresh in flight. */
  private refreshMetadata(): void {
    if (this.metadataRefresh) {
      this.metadataStale = true;
      return;
    }
    this.metadataRefresh = (async () => {
      const admin = this.clients.admin();
      await admin.connect();
      try {
        for (let attempt = 0; attempt < 20 && !this.closing; attempt++) {
          this.metadataStale = false;
          const g = await admin.describeGroup(this.config.applicationId);
          if (g.state === 'Stable' && g.members.some((m) => m.assignment.size > 0)) {
            this.metadataState.update(g.members);
            if (!this.metadataStale) return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    })()
      .catch((error) => this.config.logger.warn('Refreshing the host metadata failed', { error }))
      .finally(() => {
        this.metadataRefresh = undefined;
        if (this.metadataStale && !this.closing) {
          this.metadataStale = false;
          this.refreshMetadata();
        }
      });
  }

  /**
   * Stops processing: waits for the current batch, commits (outputs acked first), closes tasks
   * and clients. State PENDING_SHUTDOWN then NOT_RUNNING (or stays ERROR after a failure).
   */
  async close(options: CloseOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30000;
    if (this.currentState === KafkaStreamsState.NOT_RUNNING) return;
    if (this.closing) {
      await this.closing;
    }
    const wasError =
      this.currentState === KafkaStreamsState.ERROR || this.currentState === KafkaStreamsState.PENDING_ERROR;
    if (!wasError) this.setState(KafkaStreamsState.PENDING_SHUTDOWN);
    const work = Promise.all(this.threads.map((t) => t.shutdown(true))).then(async () => {
      await this.globalThread?.shutdown();
    });
    this.closing = work;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      work.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
    if (timedOut)
      this.config.logger.warn('close() timed out; threads abandoned', {
        clientId: this.config.clientId,
        timeoutMs,
      });
    this.threads = [];
    this.metrics.threads.set({ client_id: this.config.clientId }, 0);
    if (!wasError) this.setState(KafkaStreamsState.NOT_RUNNING);
  }
}
