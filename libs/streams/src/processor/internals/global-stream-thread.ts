import * as path from 'node:path';
import type { GlobalConsumer, GlobalFetchedBatch, KafkaClientFactory } from '../../client/kafka-client';
import { StreamsError } from '../../errors/streams-error';
import type { StreamsMetrics } from '../../metrics/streams-metrics';
import type { StateRestoreListener, TopicPartition } from '../../state/state-restore-listener';
import type { ResolvedConfig } from '../../streams-config';
import type { StateStore } from '../state-store';
import { consumedRecord } from './consumed-record';
import { GLOBAL_STATE_DIR, GlobalStateManager } from './global-state-manager';
import { GlobalStateUpdateTask } from './global-state-update-task';
import type { InternalTopologyBuilder } from './internal-topology-builder';

/** Life of the global thread (Kafka Streams' `GlobalStreamThread.State`). */
export type GlobalThreadState = 'CREATED' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'DEAD';

/** A partition still bootstrapping: where it started, the end to reach, records read so far. */
interface Bootstrap {
  readonly tp: TopicPartition;
  readonly end: number;
  restored: number;
}

/**
 * Kafka Streams' `GlobalStreamThread`: keeps this instance's global stores current. `start()`
 * opens the stores in `<stateDir>/<applicationId>/global`, then reads every partition of every
 * global topic, from the checkpoint (persistent stores) or the beginning, through the global
 * processors until each partition reaches the end offset it had at start (the bootstrap, reported
 * to the restore listener), and resolves; the client starts its stream threads only then. It then
 * keeps reading updates, flushing the stores and writing the checkpoint (positions) every
 * `commitIntervalMs` and at shutdown.
 */
export class GlobalStreamThread {
  state: GlobalThreadState = 'CREATED';
  private readonly stateManager: GlobalStateManager;
  private readonly task: GlobalStateUpdateTask;
  private consumer: GlobalConsumer | undefined;
  /** Next offset to read, per partition (`<partition>\0<topic>`). */
  private readonly positions = new Map<string, { topic: string; partition: number; offset: number }>();
  private readonly bootstrapping = new Map<string, Bootstrap>();
  private bootstrapDone: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private busy: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastCheckpoint = Date.now();
  private dirty = false;
  private failed = false;

  constructor(
    private readonly builder: InternalTopologyBuilder,
    private readonly config: ResolvedConfig,
    private readonly clients: KafkaClientFactory,
    metrics: StreamsMetrics,
    restoreListener: StateRestoreListener | undefined,
    private readonly onFatal: (error: Error) => void,
  ) {
    const c = config;
    this.stateManager = new GlobalStateManager(
      path.join(c.stateDir, c.applicationId, GLOBAL_STATE_DIR),
      c.logger,
      restoreListener,
    );
    const dropped = metrics.dropped;
    this.task = new GlobalStateUpdateTask(
      builder,
      {
        applicationId: c.applicationId,
        logger: c.logger,
        deserializationHandler: c.deserializationHandler,
        processingHandler: c.processingHandler,
        productionHandler: c.productionHandler,
        redactor: c.redactor,
        sensors: { dropped: (reason) => dropped.inc({ client_id: c.clientId, reason }) },
        defaultKeySerde: c.defaultKeySerde,
        defaultValueSerde: c.defaultValueSerde,
        defaultTimestampExtractor: c.defaultTimestampExtractor,
        cacheMaxBytes: Math.floor(c.cacheMaxBytesBuffering / (c.numStreamThreads + 1)),
        metricsRegistry: c.metricsRegistry,
        metricsRecordingLevel: c.metricsRecordingLevel,
        time: Date.now,
      },
      this.stateManager,
    );
  }

  get name(): string {
    return `${this.config.clientId}-GlobalStreamThread`;
  }

  /** The global store `name` once bootstrapped (for processors and interactive queries). */
  store(name: string): StateStore | undefined {
    return this.state === 'RUNNING' ? this.task.getStore(name) : undefined;
  }

  /** True when `name` is a global store of the topology. */
  hasStore(name: string): boolean {
    return this.builder.globalStoreBuilders.has(name);
  }

  /** Opens the stores and bootstraps them to the end of their topics; resolves when done. */
  async start(): Promise<void> {
    const factory = this.clients;
    if (typeof factory.globalConsumer !== 'function')
      throw new StreamsError(
        `The Kafka client (${factory.constructor?.name ?? 'clientFactory'}) has no globalConsumer(): it cannot run global tables`,
      );
    const started = Date.now();
    await this.task.initialize();
    const topics = [...new Set(this.builder.globalTopics())];
    const admin = factory.admin();
    await admin.connect();
    const ends = new Map<string, Map<number, number>>();
    try {
      for (const t of topics) ends.set(t, await admin.endOffsets(t));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const startPositions = [];
    for (const [topic, byPartition] of ends) {
      for (const [partition, end] of [...byPartition].sort((a, b) => a[0] - b[0])) {
        const tp = { topic, partition };
        const from = this.stateManager.checkpointedOffset(topic, partition);
        if (from !== undefined) startPositions.push({ topic, partition, offset: from });
        const start = from ?? 0;
        this.positions.set(key(tp), { topic, partition, offset: start });
        this.stateManager.onRestoreStart(tp, start, end);
        if (start >= end) this.stateManager.onRestoreEnd(tp, 0);
        else this.bootstrapping.set(key(tp), { tp, end, restored: 0 });
      }
    }
    const done = new Promise<void>((resolve, reject) => (this.bootstrapDone = { resolve, reject }));
    this.consumer = factory.globalConsumer({
      clientId: `${this.config.clientId}-global-consumer`,
      options: this.config.consumer,
    });
    await this.consumer.run(topics, startPositions, (batch) => this.onBatch(batch), {
      onCrash: (error) => this.fail(error),
    });
    if (this.bootstrapping.size === 0) this.bootstrapDone?.resolve();
    await done;
    this.bootstrapDone = undefined;
    this.config.logger.info('Global stores bootstrapped', {
      thread: this.name,
      stores: this.builder.globalStores().map((g) => g.storeName),
      ms: Date.now() - started,
    });
    await this.checkpoint();
    this.state = 'RUNNING';
    const tick = Math.max(50, Math.min(this.config.commitIntervalMs || 100, 1000));
    this.timer = setInterval(() => {
      if (Date.now() - this.lastCheckpoint >= this.config.commitIntervalMs && this.dirty)
        this.checkpoint().catch((e) => this.fail(e));
    }, tick);
    this.timer.unref();
  }

  /**
   * Queues a fetched batch behind the ones before it. The work starts on a later turn of the event
   * loop, so that the consumer's next fetch (it reads ahead) is on its way to the broker while this
   * batch is written: bootstrap overlaps fetching with the store's writes.
   */
  private onBatch(batch: GlobalFetchedBatch): Promise<void> {
    const work = this.busy.then(() => nextTurn()).then(() => this.apply(batch));
    this.busy = work.catch(() => undefined);
    return work.catch((error) => this.fail(error as Error));
  }

  private async apply(batch: GlobalFetchedBatch): Promise<void> {
    if (this.failed || this.state === 'PENDING_SHUTDOWN' || this.state === 'DEAD') return;
    const { topic, partition, records } = batch;
    const k = key({ topic, partition });
    const b = this.bootstrapping.get(k);
    if (b !== undefined && this.task.restoresRaw(topic)) {
      // Bootstrap of a DSL global table: the records go straight into the store.
      const n = await this.task.restoreRaw(topic, records);
      this.afterBatch(k, batch, b, n);
      return;
    }
    let keyed = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      this.task.process(consumedRecord(topic, partition, r));
      if (r.key !== null) keyed++;
    }
    this.afterBatch(k, batch, b, keyed);
  }

  /** Moves the partition's position; reports bootstrap progress (batch end = the new position, as Kafka Streams). */
  private afterBatch(k: string, batch: GlobalFetchedBatch, b: Bootstrap | undefined, restored: number): void {
    const { topic, partition } = batch;
    this.positions.set(k, { topic, partition, offset: batch.nextOffset });
    this.dirty = true;
    if (b === undefined) return;
    b.restored += restored;
    this.stateManager.onBatchRestored(b.tp, batch.nextOffset, restored);
    if (batch.nextOffset >= b.end) {
      this.bootstrapping.delete(k);
      this.stateManager.onRestoreEnd(b.tp, b.restored);
      if (this.bootstrapping.size === 0) this.bootstrapDone?.resolve();
    }
  }

  /** Flushes the stores and writes the positions to the checkpoint (between batches). */
  private checkpoint(): Promise<void> {
    const work = this.busy.then(async () => {
      this.dirty = false;
      await this.stateManager.flush();
      await this.stateManager.checkpoint(this.positions.values());
      this.lastCheckpoint = Date.now();
    });
    this.busy = work.catch(() => undefined);
    return work;
  }

  private fail(error: Error): void {
    if (this.failed || this.state === 'PENDING_SHUTDOWN' || this.state === 'DEAD') return;
    this.failed = true;
    this.config.logger.error('Global stream thread failed', { thread: this.name, error });
    if (this.bootstrapDone) this.bootstrapDone.reject(error);
    else setImmediate(() => this.onFatal(error));
  }

  /** Stops reading; a clean shutdown (not after a failure) flushes and checkpoints the stores. */
  async shutdown(): Promise<void> {
    if (this.state === 'DEAD') return;
    this.state = 'PENDING_SHUTDOWN';
    if (this.timer) clearInterval(this.timer);
    this.bootstrapDone?.reject(
      new StreamsError('The global stream thread was shut down while bootstrapping'),
    );
    await this.consumer?.stop();
    await this.busy;
    this.task.close();
    // Every record up to the positions is applied, even when stopped mid-bootstrap.
    await this.stateManager
      .close(this.failed ? undefined : this.positions.values())
      .catch((error) => this.config.logger.warn('Closing the global stores failed', { error }));
    this.state = 'DEAD';
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function key(tp: TopicPartition): string {
  return `${tp.partition}\u0000${tp.topic}`;
}
