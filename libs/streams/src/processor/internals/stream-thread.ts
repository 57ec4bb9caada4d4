import {
  BatchControl,
  ConsumerGroupMetadata,
  ConsumerSubscription,
  FetchedBatch,
  FetchedRecord,
  KafkaClientFactory,
  StreamsAdmin,
  StreamsConsumer,
  StreamsProducer,
  TopicPartitionOffset,
} from '../../client/kafka-client';
import { ProductionError } from '../../errors/production-error';
import { StreamsError } from '../../errors/streams-error';
import { ProcessorStateError } from '../../state/errors';
import { InterceptedRecord } from '../../interceptors/consumer-interceptor';
import { StreamsMetrics } from '../../metrics/streams-metrics';
import { ResolvedConfig } from '../../streams-config';
import { taskId } from '../task-id';
import { AssignmentMemory, copartitionedAssignor, encodeSubscriptionInfo } from './partition-assignor';
import { InternalTopologyBuilder, Subtopology } from './internal-topology-builder';
import { buildProcessorTopology, topicDecorator } from './processor-topology';
import { ProducerMetadata } from './producer-metadata';
import { RuntimeRecordCollector } from './runtime-record-collector';
import { TransactionalProducer } from './transactional-producer';
import { ChangelogRestorer } from './changelog-restorer';
import { DROP_REASONS, StreamTask, TaskSensors } from './stream-task';
import type { ConsumedRaw } from './consumed-raw';
import { consumedRecord } from './consumed-record';
import { TopicLayout } from './internal-topic-manager';
import { StateStore } from '../state-store';
import type { StateRestoreListener } from '../../state/state-restore-listener';

/** Life of a stream thread (a subset of Kafka Streams' `StreamThread.State`). */
export type ThreadState =
  'CREATED' | 'STARTING' | 'PARTITIONS_ASSIGNED' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'DEAD';

/** What a thread tells its client. */
export interface ThreadListener {
  onStateChange(thread: StreamThread, state: ThreadState): void;
  /** The thread created or closed tasks outside an assignment (a batch's task, a reset). */
  onTasksChanged?(thread: StreamThread): void;
  /** The thread failed; the client applies the uncaught exception handler. */
  onFatal(thread: StreamThread, error: Error): void;
  /** Another member of the group asked the whole application to shut down. */
  onShutdownRequested(thread: StreamThread): void;
  /** The instance's global store `name` (bootstrapped), readable by every processor. */
  globalStore?(name: string): StateStore | undefined;
  /** The client's restore listener (`setGlobalStateRestoreListener`, else the config's). */
  readonly restoreListener?: StateRestoreListener;
}

const HEARTBEAT_EVERY_MS = 1000;

/**
 * How often an idle stream thread looks for a due commit or wall-clock punctuation (ms): Kafka
 * Streams' thread checks both after every poll, whose timeout (`poll.ms`) is 100 ms, so a commit
 * comes at most about that long after it is due. A tick as long as the commit interval itself let a
 * thread without input commit up to two intervals after its last record (the tick's phase is not
 * the last commit's): under exactly-once, records a sub-topology wrote to a repartition topic stay
 * invisible to the next one until that commit.
 */
export function threadTickMs(commitIntervalMs: number): number {
  return Math.max(10, Math.min(commitIntervalMs || 100, 100));
}
/** Kafka Streams' default `transaction.timeout.ms` under exactly-once. */
const EOS_TRANSACTION_TIMEOUT_MS = 10000;

/**
 * How the processing of a batch goes on after a wait within it (see `StreamThread.afterWait`):
 * with its next record, `stop` (the records processed so far are accounted for), or `task-gone`
 * (the task was closed or replaced meanwhile: the batch is dropped).
 */
type AfterWait = 'continue' | 'stop' | 'task-gone';

/**
 * One consumer + one producer running tasks (Kafka Streams' `StreamThread`). Batches are
 * processed record by record synchronously; output sends are batched and awaited only at
 * commit, which first flushes the producer (acks) and then commits the consumed offsets.
 */
export class StreamThread {
  state: ThreadState = 'CREATED';
  private consumer!: StreamsConsumer;
  private producer!: StreamsProducer;
  /** Looks up sink partition counts for the producer (metadata refresh). */
  private metadataAdmin: StreamsAdmin | null = null;
  private collector!: RuntimeRecordCollector;
  private readonly tasks = new Map<string, StreamTask>();
  private readonly taskInits = new Map<string, Promise<void>>();
  private readonly committed = new Map<string, number>();
  private readonly highWatermarks = new Map<string, number>();
  private readonly topicToSub = new Map<string, Subtopology>();
  private lastCommit = Date.now();
  private committing: Promise<void> | null = null;
  /**
   * Resolves once the running commit may have processing beside it: under exactly-once when it has
   * taken its offsets, flushed the caches and holds back later sends for the next transaction
   * ({@link prepared}); else when it is done.
   */
  private commitPrepared: Promise<void> | null = null;
  /** True while the running commit is past that point. */
  private prepared = false;
  /**
   * `exactly_once_v2` with a client that rejoins a rebalancing group only after the runtime's
   * commit (`rejoinAwaitsRebalancing`: kafkajs, through the patch's `beforeRejoin`): processing goes
   * on beside a commit once it has taken its offsets ({@link commitBeside}). @platformatic/kafka
   * rejoins after a capped wait, so there a commit pauses processing until it is done.
   */
  private readonly beside: boolean;
  /** Batches being processed (several when the client consumes partitions concurrently). */
  private readonly busy = new Set<Promise<void>>();
  private stopping = false;
  private cleanCommit = false;
  private shutdownRequested = false;
  private failed = false;
  private timer: NodeJS.Timeout | null = null;
  /** `exactly_once_v2`: fires when the next commit is due while records wait uncommitted ({@link armDueCommit}). */
  private dueCommit: NodeJS.Timeout | null = null;
  private assignment = new Map<string, number[]>();
  private readonly decorate: (t: string) => string;
  private readonly sensors: TaskSensors;
  private readonly clientId: string;
  /** True when the topology has state stores (commits then pause processing). */
  private readonly stateful: boolean;
  /** The partitions this thread ran last, claimed again at the next join (sticky tasks). */
  private readonly assignmentMemory: AssignmentMemory;
  /** `exactly_once_v2`: the thread's transactional producer (else null). */
  private txn: TransactionalProducer | null = null;
  /**
   * `exactly_once_v2`: records were processed that no commit has taken the offsets of yet (those
   * processed beside a running commit belong to the next one).
   */
  private uncommittedWork = false;
  /**
   * Tasks being closed dirty: under `exactly_once_v2` with the producer renewed (TaskMigrated), or
   * because the partitions were lost (either guarantee).
   */
  private resetting: Promise<void> | null = null;
  /** Resets ({@link closeTasksDirty}) started so far: each abandons the open transaction under exactly-once. */
  private resets = 0;
  /**
   * Revoked tasks being closed ({@link closeRevoked}), by task key: a task created again for the same
   * key opens its stores only after the old one closed them.
   */
  private readonly closingTasks = new Map<string, Promise<void>>();
  /**
   * Eager protocol, from the rebalance's commit to the next assignment: every task is revoked (Kafka
   * Streams suspends them in `onPartitionsRevoked`), so none punctuates; a change after that commit
   * would make a revoked task close dirty.
   */
  private rebalancing = false;
  /**
   * The member is rebalancing (Kafka Streams' `TaskManager.rebalanceInProgress`): from the JoinGroup
   * it prepares (`onJoining`, or the eager revocation before it) until the assignment (`onAssigned`)
   * or the loss of the partitions (`onLost`). No interval or requested commit starts meanwhile, as
   * Kafka Streams' `TaskManager.commit` and `maybeCommitActiveTasksPerUserRequested` skip them: the
   * JoinGroup may be answered before such a commit's offsets reach the coordinator, which then
   * refuses them for the old generation (under exactly-once the thread would close every task
   * dirty). Only the revocation's commit (`onRebalancing`, `handleRevocation`) runs; the thread
   * commits what is due once the rebalance is over.
   */
  private rebalanceInProgress = false;
  /** At-least-once: the last commit's offsets were refused (set until a commit succeeds). */
  private lastCommitFailed = false;

  constructor(
    readonly index: number,
    private readonly builder: InternalTopologyBuilder,
    private readonly config: ResolvedConfig,
    private readonly clients: KafkaClientFactory,
    private readonly layout: TopicLayout,
    private readonly metrics: StreamsMetrics,
    private readonly listener: ThreadListener,
    private readonly restorer: ChangelogRestorer | undefined,
  ) {
    this.decorate = topicDecorator(builder, config.applicationId);
    for (const s of builder.subtopologies())
      for (const t of s.sourceTopics) this.topicToSub.set(this.decorate(t), s);
    this.clientId = config.clientId;
    this.stateful = builder.storeBuilders.size > 0;
    this.beside =
      config.processingGuarantee === 'exactly_once_v2' &&
      clients.capabilities?.().rejoinAwaitsRebalancing === true;
    this.assignmentMemory = new AssignmentMemory(config.stateDir, config.applicationId, index);
    const dropped = metrics.dropped;
    const cid = this.clientId;
    // Every reason's series exists from the start at 0, so the first drop shows in rate() and alerts.
    for (const reason of DROP_REASONS) dropped.inc({ client_id: cid, reason }, 0);
    this.sensors = { dropped: (reason) => dropped.inc({ client_id: cid, reason }) };
  }

  get name(): string {
    return `${this.clientId}-StreamThread-${this.index}`;
  }

  get activeTaskCount(): number {
    return this.tasks.size;
  }

  /** The stores named `name` of this thread's restored tasks (interactive queries). */
  queryableStores(name: string): StateStore[] {
    const out: StateStore[] = [];
    for (const t of this.tasks.values()) {
      const s = t.isInitialized ? t.getStore(name) : undefined;
      if (s) out.push(s);
    }
    return out;
  }

  private setState(s: ThreadState): void {
    if (this.state === s) return;
    this.state = s;
    this.listener.onStateChange(this, s);
  }

  private subFor(topic: string): Subtopology | undefined {
    const s = this.topicToSub.get(topic);
    if (s) return s;
    for (const sub of this.builder.subtopologies()) {
      if (sub.sourcePatterns.some((p) => p.test(topic))) {
        this.topicToSub.set(topic, sub);
        return sub;
      }
    }
    return undefined;
  }

  async start(): Promise<void> {
    this.setState('STARTING');
    const c = this.config;
    const admin = this.clients.admin();
    this.metadataAdmin = admin;
    await admin.connect();
    await this.connectProducer();
    this.consumer = this.clients.consumer({
      groupId: c.applicationId,
      clientId: c.clientId,
      assignor: copartitionedAssignor,
      options: c.consumer,
      ...(this.exactlyOnce ? { isolationLevel: 'read_committed' as const } : {}),
      // Kafka Streams: each thread's consumer is the static member `<group.instance.id>-<thread>`.
      groupInstanceId: c.groupInstanceId === undefined ? undefined : `${c.groupInstanceId}-${this.index + 1}`,
      rebalanceProtocol: c.rebalanceProtocol,
      prefetchMaxBytes: c.consumerPrefetchMaxBytes,
      userData: () =>
        encodeSubscriptionInfo({
          applicationServer: c.applicationServer,
          claimedPartitions: this.assignmentMemory.claims(),
        }),
    });
    await this.consumer.connect();
    await this.consumer.subscribe(this.subscriptions());
    await this.consumer.run((batch, control) => this.onBatch(batch, control), {
      onAssigned: (a) => this.onAssigned(a),
      // Awaited before the member rejoins (Kafka Streams commits in onPartitionsRevoked): every
      // partition of the next assignment starts from its committed offset, so what was processed
      // must be committed by then, or the next owner (this thread included) processes it again.
      onRebalancing: async () => {
        this.setState('PARTITIONS_ASSIGNED');
        if (this.stopping || this.failed) return;
        if (c.rebalanceProtocol !== 'cooperative') this.rebalancing = true;
        // Where commits run beside processing (kafkajs under exactly-once, stateless at-least-once), a
        // running commit took its offsets before some records were processed: one more covers them.
        const besideProcessing = this.beside || (!this.exactlyOnce && !this.stateful);
        const revocation = besideProcessing ? this.commitAll() : this.commit();
        // Kafka Streams' handleRevocation commits directly (not skipped as a rebalance is in
        // progress); the JoinGroup that follows it starts the rebalance (the eager protocol's).
        this.rebalanceInProgress = true;
        await revocation.catch((error) =>
          c.logger.warn('Commit before rebalance failed', { thread: this.name, error }),
        );
      },
      onJoining: () => {
        // The instance reports REBALANCING from here (under the cooperative protocol too, as
        // before: Kafka Streams' thread stays RUNNING until onPartitionsAssigned there).
        if (this.state === 'RUNNING') this.setState('PARTITIONS_ASSIGNED');
        this.rebalanceInProgress = true;
        return this.untilCommitEnds();
      },
      onLost: () => this.onLost(),
      onCrash: (error) => this.fail(error),
      onShutdownRequested: () => {
        if (this.shutdownRequested) return;
        this.shutdownRequested = true;
        setImmediate(() => this.listener.onShutdownRequested(this));
      },
    });
    this.timer = setInterval(() => this.onTimer(), threadTickMs(c.commitIntervalMs));
    this.timer.unref();
  }

  private get exactlyOnce(): boolean {
    return this.config.processingGuarantee === 'exactly_once_v2';
  }

  /** Transactional id of this thread's producer under `exactly_once_v2`. */
  get transactionalId(): string {
    return `${this.config.applicationId}-${this.config.clientId}-${this.index}`;
  }

  /** Creates the producer (transactional under `exactly_once_v2`) and the record collector. */
  private async connectProducer(): Promise<void> {
    const c = this.config;
    const eos = this.exactlyOnce;
    const txnTimeout = (c.producer as { transactionTimeout?: number } | undefined)?.transactionTimeout;
    this.producer = this.clients.producer(c.producer, {
      compression: c.compressionType,
      ...(eos
        ? {
            transactionalId: this.transactionalId,
            transactionTimeoutMs: txnTimeout ?? EOS_TRANSACTION_TIMEOUT_MS,
          }
        : {}),
    });
    await this.producer.connect();
    // Kafka Streams initialises the transactions of a new producer at once: the older producer of
    // this transactional id (this thread's before a reset, or a crashed incarnation's) is fenced and
    // the transaction it left open is aborted now, before any task of this thread restores a
    // changelog that transaction wrote to (else the restore would wait for it, or the transaction
    // would stay open until this producer's first commit).
    if (eos) await this.producer.initTransactions?.();
    this.txn = eos ? new TransactionalProducer(this.producer, this.transactionalId) : null;
    const admin = this.metadataAdmin!;
    this.collector = new RuntimeRecordCollector(
      this.txn ? this.txn.view() : this.producer,
      { batchSize: c.producerBatchSize, batchBytes: c.producerBatchBytes, lingerMs: c.producerLingerMs },
      new ProducerMetadata(
        this.layout.partitions,
        (topics) => admin.partitionCounts(topics),
        c.metadataMaxAgeMs,
        c.logger,
      ),
      c.producerInterceptors,
      c.logger,
      this.txn !== null,
    );
  }

  /**
   * `exactly_once_v2`, Kafka Streams' TaskMigrated handling: the open transaction is abandoned (a
   * new producer with the same transactional id aborts it and fences the old one), every task is
   * closed dirty (its state wiped and restored from the changelogs when it is created again), and
   * with `seek` the consumer goes back to the committed offsets; after a rebalance the client
   * starts from them anyway.
   */
  private resetExactlyOnce(reason: string, seek: boolean, cause?: unknown): Promise<void> {
    return this.closeTasksDirty(
      `Exactly-once: ${reason}; closing tasks dirty and starting a new transaction`,
      { seek, afterCommit: false },
      cause,
    );
  }

  /**
   * The client lost the partitions (`onLost`: the membership ended or the group moved on without
   * this member, while the runtime saw no rebalance), Kafka Streams' `handleLostAll`: every task is
   * closed dirty, with no commit and no flush of its caches (another member may own its partitions
   * and have counted on past the state this thread holds), and created again when assigned,
   * restoring its state from the changelogs and reading from the committed offsets; under
   * exactly-once the open transaction is abandoned and the producer replaced as well. The
   * assignment that follows waits for this ({@link onAssigned}).
   */
  private onLost(): void {
    this.rebalancing = false;
    this.rebalanceInProgress = false;
    if (this.stopping || this.failed) return;
    const reason = 'the group membership was lost';
    void this.closeTasksDirty(
      this.exactlyOnce
        ? `Exactly-once: ${reason}; closing tasks dirty and starting a new transaction`
        : `The partitions were lost (${reason}); closing tasks dirty`,
      { seek: false, afterCommit: true },
    );
  }

  /**
   * Closes every task dirty ({@link tasks} empty until the next batch or assignment creates them
   * again); under exactly-once also abandons the open transaction and renews the producer, and with
   * `seek` sends the consumer back to the committed offsets. With `afterCommit` a commit running
   * meanwhile ends first (one that fails leaves the reset to this one, see `doCommit`).
   */
  private closeTasksDirty(
    message: string,
    options: { readonly seek: boolean; readonly afterCommit: boolean },
    cause?: unknown,
  ): Promise<void> {
    if (this.resetting) return this.resetting;
    const log = this.config.logger;
    log.warn(message, { thread: this.name, error: cause });
    const eos = this.exactlyOnce;
    this.resets++;
    this.resetting = (async () => {
      if (options.afterCommit) await this.untilCommitEnds();
      if (eos) {
        // The records of the abandoned transaction still in the collector (lingering, or behind the
        // request in flight) are dropped: sent through the revoked view they would be refused, and
        // reach the production handler (warnings, dead letters) of tasks not closed yet.
        this.collector.abandon();
        await this.txn?.revoke();
      }
      const tasks = [...this.tasks.values()];
      this.tasks.clear();
      this.taskInits.clear();
      this.committed.clear();
      this.listener.onTasksChanged?.(this);
      for (const t of tasks)
        await t
          .close(false)
          .catch((error) => log.warn('Closing a task dirty failed', { taskId: t.idText, error }));
      if (eos) {
        await this.producer.disconnect().catch(() => undefined);
        await this.connectProducer();
      }
      this.uncommittedWork = false;
      if (options.seek && this.consumer?.seek && this.metadataAdmin) {
        // The generation the committed offsets are read under: should the member rejoin the group
        // meanwhile (its membership lost while it was stopped, say), another member may commit past
        // them before the new assignment, which starts from the committed offsets; sought there,
        // they would send this thread back over records already committed (processed twice).
        const generation = this.consumer.groupMetadata?.().generationId;
        const offsets: TopicPartitionOffset[] = [];
        for (const [topic, partitions] of this.assignment) {
          // Stable offsets (KIP-447): never below a transactional commit still in progress.
          const committed = await this.metadataAdmin.committedOffsets(this.config.applicationId, topic, {
            requireStable: true,
          });
          for (const p of partitions)
            offsets.push({ topic, partition: p, offset: Math.max(0, committed.get(p) ?? 0) });
        }
        this.consumer.seek(offsets, generation !== undefined && generation >= 0 ? generation : undefined);
      }
      this.lastCommit = Date.now();
    })()
      .catch((error) => this.fail(error as Error))
      .finally(() => (this.resetting = null));
    return this.resetting;
  }

  /** Source topics (internal ones decorated) and patterns, split by offset reset policy. */
  subscriptions(): ConsumerSubscription[] {
    const earliest: Array<string | RegExp> = [];
    const latest: Array<string | RegExp> = [];
    for (const src of this.builder.sourceNodes()) {
      const list = src.offsetReset === 'latest' ? latest : earliest;
      for (const t of src.topics ?? []) list.push(this.decorate(t));
      if (src.pattern) list.push(src.pattern);
    }
    return [
      { topics: earliest, fromBeginning: true },
      { topics: latest, fromBeginning: false },
    ];
  }

  private onTimer(): void {
    // Never beside a commit (Kafka Streams' thread punctuates between commits): a punctuation's
    // sends and store writes would fall between the stores' flush and the offsets being committed
    // (under exactly-once: into the transaction being committed).
    if (this.stopping || this.failed || this.busy.size || this.resetting || this.committing) return;
    try {
      if (!this.rebalancing) for (const t of this.tasks.values()) t.punctuateWallClock();
      this.collector.dispatch();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (!this.rebalanceInProgress && Date.now() - this.lastCommit >= this.config.commitIntervalMs)
      this.commit().catch((e) => this.fail(e));
  }

  private onAssigned(assignment: Map<string, number[]>): void {
    this.rebalancing = false;
    this.rebalanceInProgress = false;
    if (this.shutdownRequested || this.stopping) return;
    if (this.resetting) {
      void this.resetting.then(() => this.onAssigned(assignment));
      return;
    }
    const log = this.config.logger;
    this.metrics.rebalances.inc({ client_id: this.clientId });
    this.setState('PARTITIONS_ASSIGNED');
    const wanted = new Set<string>();
    for (const [topic, partitions] of assignment) {
      const sub = this.subFor(topic);
      if (sub) for (const p of partitions) wanted.add(`${sub.id}_${p}`);
    }
    // Forget lag series and tasks of partitions we no longer own.
    for (const [topic, partitions] of this.assignment) {
      for (const p of partitions) {
        if (assignment.get(topic)?.includes(p)) continue;
        this.metrics.positionLag.remove({ client_id: this.clientId, topic, partition: String(p) });
        this.metrics.committedLag.remove({
          consumergroup: this.config.applicationId,
          topic,
          partition: String(p),
        });
        this.committed.delete(`${p}\u0000${topic}`);
      }
    }
    this.assignment = assignment;
    this.assignmentMemory.save(assignment);
    for (const [key, task] of this.tasks) {
      if (wanted.has(key)) continue;
      this.tasks.delete(key);
      this.taskInits.delete(key);
      this.closeRevoked(key, task);
    }
    for (const key of wanted) if (!this.tasks.has(key)) this.createTask(key);
    this.metrics.tasks.set({ client_id: this.clientId }, this.tasks.size);
    log.info('Partitions assigned', { thread: this.name, tasks: [...wanted].sort() });
    Promise.all(this.taskInits.values()).then(
      () => {
        if (!this.stopping && !this.failed) this.setState('RUNNING');
      },
      (e) => this.fail(e),
    );
  }

  /**
   * Closes a task the rebalance revoked (Kafka Streams' `handleRevocation`, then `closeTaskClean`),
   * once the rebalance's commit (`onRebalancing`) has ended: clean (stores flushed, checkpoint of the
   * acknowledged changelog offsets, so the task restores only what was written after it when it
   * comes back) when a successful commit covered every change of the task, or it was still
   * restoring (the checkpoint holds what it restored, as Kafka Streams' clean close of a RESTORING
   * task) or opening its stores (the checkpoint stays what it was, as for a CREATED task); dirty when the commit failed or the task changed something after it. A revoked task with
   * changes no commit covered means the rebalance's commit failed (with state stores, processing
   * waits for commits): as Kafka Streams, where `handleRevocation` rethrows the failed commit as
   * TaskMigrated and `handleTaskMigrated` closes every task dirty (`handleLostAll`), every task of
   * the thread closes dirty and the partitions it keeps start again from their committed offsets
   * (`closeTasksDirty`); under exactly-once that also abandons the open transaction, which holds the
   * task's changes. Unless a reset since has already done so.
   */
  private closeRevoked(key: string, task: StreamTask): void {
    const log = this.config.logger;
    const resets = this.resets;
    const closing = (async () => {
      await this.untilCommitEnds();
      if (task.commitNeeded && this.resets === resets && !this.stopping && !this.failed) {
        if (this.exactlyOnce)
          await this.resetExactlyOnce('a revoked task has changes no commit covered', true);
        // With state stores processing waits for commits, so the revocation commit failed; stateless,
        // a task may also have processed beside a commit that succeeded (its next owner processes
        // those records again, as at-least-once allows): only a failed commit resets.
        else if (this.stateful || this.lastCommitFailed)
          await this.closeTasksDirty(
            'The rebalance did not commit what a revoked task processed; closing every task dirty',
            { seek: true, afterCommit: false },
          );
      }
      const clean = task.canCloseClean && !task.commitNeeded && !this.failed;
      if (!clean) log.info('Closing a revoked task dirty', { taskId: key });
      await task.close(clean, (topic, p) => this.collector.ackedNextOffset(topic, p));
    })()
      .catch((error) => log.warn('Closing a revoked task failed', { taskId: key, error }))
      .finally(() => {
        if (this.closingTasks.get(key) === closing) this.closingTasks.delete(key);
      });
    this.closingTasks.set(key, closing);
  }

  private createTask(key: string): StreamTask {
    const [subId, partition] = key.split('_').map(Number);
    const sub = this.builder.subtopology(subId)!;
    const c = this.config;
    const task = new StreamTask(taskId(subId, partition), buildProcessorTopology(this.builder, sub, c), {
      applicationId: c.applicationId,
      exactlyOnce: this.exactlyOnce,
      logger: c.logger,
      collector: this.collector,
      deserializationHandler: c.deserializationHandler,
      processingHandler: c.processingHandler,
      productionHandler: c.productionHandler,
      deadLetterQueueTopic: c.deadLetterQueueTopic,
      deadLetterRecordMapper: c.deadLetterRecordMapper,
      redactor: c.redactor,
      sensors: this.sensors,
      defaultKeySerde: c.defaultKeySerde,
      defaultValueSerde: c.defaultValueSerde,
      stateDir: c.stateDir,
      // One record cache per thread, shared by its tasks (Kafka Streams' ThreadCache): the budget is
      // split between the stream threads and, with global stores, the global thread.
      cacheMaxBytes: Math.floor(
        c.cacheMaxBytesBuffering / (c.numStreamThreads + (this.builder.globalStores().length > 0 ? 1 : 0)),
      ),
      recordCacheOwner: this,
      restorer: this.restorer,
      restoreListener: this.listener.restoreListener ?? c.stateRestoreListener,
      globalStore: (name) => this.listener.globalStore?.(name),
      metricsRegistry: c.metricsRegistry,
      metricsRecordingLevel: c.metricsRecordingLevel,
      changelogTopicFor: (store) => this.layout.changelogs.get(store),
      time: Date.now,
    });
    this.tasks.set(key, task);
    // The same task revoked a moment ago may still be closing: its stores and checkpoint first.
    const closing = this.closingTasks.get(key);
    const init = closing === undefined ? task.initialize() : closing.then(() => task.initialize());
    this.taskInits.set(key, init ? init : Promise.resolve());
    return task;
  }

  private async onBatch(batch: FetchedBatch, control: BatchControl): Promise<void> {
    if (this.stopping || this.failed) return;
    // A heartbeat that fails (typically: the group rebalances) is the client's to handle: processing
    // stops after the current record and the error goes back to the client, which rejoins (after
    // `onRebalancing` committed what was processed); it does not fail the thread.
    let clientError: unknown;
    const guarded: BatchControl = {
      heartbeat: () =>
        control.heartbeat().catch((error) => {
          clientError ??= error;
        }),
      isRunning: () => clientError === undefined && control.isRunning(),
    };
    const work = this.processBatch(batch, guarded).catch((error) => this.fail(error as Error));
    this.busy.add(work);
    try {
      await work;
    } finally {
      this.busy.delete(work);
    }
    if (clientError !== undefined) throw clientError;
  }

  private async processBatch(batch: FetchedBatch, control: BatchControl): Promise<void> {
    await this.untilCommitAllows(control);
    if (this.resetting) await this.withHeartbeats(control, this.resetting);
    // A batch fetched before the consumer was sought back (an exactly-once reset) or before the
    // group started rebalancing is stale: its partition's position or owner changed since. Nothing
    // of it is processed (no task is created for it), as the Java consumer drops the fetched records
    // of a partition that is sought or revoked; the records come again from the new position.
    if (!control.isRunning()) return;
    const { topic, partition } = batch;
    const sub = this.subFor(topic);
    if (!sub) throw new StreamsError(`Received records of topic "${topic}" that no sub-topology reads`);
    const key = `${sub.id}_${partition}`;
    if (
      batch.records.length === 0 &&
      !this.tasks.has(key) &&
      !this.assignment.get(topic)?.includes(partition)
    )
      return;
    let task = this.tasks.get(key);
    if (task === undefined) {
      task = this.createTask(key);
      this.listener.onTasksChanged?.(this);
    }
    const init = this.taskInits.get(key);
    if (init && !task.isInitialized) {
      await this.withHeartbeats(control, init);
      await this.untilCommitAllows(control);
      // Not `afterWait`: a stopping thread goes on with this batch until a wait in the loop below.
      if (!control.isRunning() || this.tasks.get(key) !== task) return;
    }
    if (batch.records.length === 0) {
      // Only control records (a transaction marker) or aborted records were fetched: the position
      // moves past them and is committed with the next commit (by the thread's timer).
      if (batch.nextOffset !== undefined && this.tasks.get(key) === task) {
        task.advancePosition(topic, batch.nextOffset);
        this.updatePositionLag(topic, partition, batch.highWatermark, batch.nextOffset);
      }
      return;
    }
    let records: readonly FetchedRecord[] = batch.records;
    // A task kept across a rebalance already processed the records below its position; the client
    // fetches again from the committed offset, which lags it when the commit before the rebalance
    // failed. They are not processed twice (the Java consumer keeps positions of partitions it keeps).
    const position = task.positions.get(topic);
    if (position !== undefined && records.length && records[0].offset < position) {
      records = records.filter((r) => r.offset >= position);
      this.config.logger.debug('Skipped records the task already processed', {
        taskId: key,
        topic,
        partition,
        position,
      });
    }
    /** The interceptors' records, which carry their topic and partition: handed to the task as they are. */
    const intercepted =
      this.config.consumerInterceptors.length > 0 ? this.intercept(topic, partition, records) : undefined;
    const count = intercepted === undefined ? records.length : intercepted.length;
    const start = process.hrtime.bigint();
    let lastBeat = Date.now();
    let processed = 0;
    /** False when processing stopped before the end of the batch. */
    let complete = false;
    /** How processing goes on after the last wait within the batch. */
    let next: AfterWait = 'continue';
    for (let i = 0; ; i++) {
      if (i === count) {
        complete = true;
        break;
      }
      task.process(
        intercepted === undefined
          ? consumedRecord(topic, partition, records[i])
          : ownRecord(topic, partition, intercepted[i]),
      );
      processed++;
      if (task.commitRequested && this.stateful && !this.rebalanceInProgress) {
        // Back-pressure hook: a store or sink that asks for a commit (`context.commit()`, e.g. its
        // buffer reached its bound) is flushed before the next record, so its memory stays bounded.
        if (this.exactlyOnce) {
          // A running commit flushed the caches before this request: the next one serves it.
          await this.untilCommitEnds(control);
          if (this.tasks.get(key) === task) await this.commitBeside(control);
        } else await this.withHeartbeats(control, this.commit());
        if ((next = await this.resumeAfterWait(control, key, task)) !== 'continue') break;
      }
      if ((i & 7) === 7) {
        const now = Date.now();
        if (now - lastBeat >= HEARTBEAT_EVERY_MS) {
          lastBeat = now;
          this.collector.dispatch();
          await control.heartbeat();
          await this.untilCommitAllows(control);
          if (!this.rebalancing) task.punctuateWallClock(now);
          if ((next = this.afterWait(control, key, task)) !== 'continue') break;
        }
        if (
          this.exactlyOnce &&
          !this.committing &&
          !this.rebalanceInProgress &&
          now - this.lastCommit >= this.config.commitIntervalMs
        ) {
          // A transaction spans one commit interval, not one fetched batch: a large batch on a
          // slow machine would outlive the transaction timeout, be aborted, and be redone forever.
          await this.commitBeside(control);
          if ((next = this.afterWait(control, key, task)) !== 'continue') break;
        }
        if ((i & 127) === 127 && this.collector.needsBackpressure()) {
          // Under exactly-once this may wait for a commit running beside, which may fail and reset.
          await this.collector.waitForCapacity();
          if ((next = await this.resumeAfterWait(control, key, task)) !== 'continue') break;
        }
      }
    }
    // The task was closed or handed over during a wait: the rest is no longer this batch's.
    if (next === 'task-gone') return;
    this.collector.dispatch();
    // Every record handed over is processed: the position is the consumer's, past any control
    // records (transaction markers) or aborted records that ended the fetch (Kafka Streams commits
    // `consumer.position()` once a partition has no buffered record left).
    if (complete && batch.nextOffset !== undefined) task.advancePosition(topic, batch.nextOffset);
    if (processed > 0) this.uncommittedWork = true;
    if (processed > 0) {
      const cid = this.clientId;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.metrics.processTotal.inc({ client_id: cid, thread_id: this.name }, processed);
      this.metrics.processLatency.observe({ client_id: cid }, seconds / processed);
      const last = intercepted === undefined ? records[processed - 1] : intercepted[processed - 1];
      if (last.timestamp >= 0)
        this.metrics.e2eLatency.observe(
          { client_id: cid, topic },
          Math.max(0, Date.now() - last.timestamp) / 1000,
        );
      this.updatePositionLag(
        topic,
        partition,
        batch.highWatermark,
        task.positions.get(topic) ?? last.offset + 1,
      );
    }
    if (this.collector.needsBackpressure()) await this.collector.waitForCapacity();
    await this.untilCommitAllows(control);
    if (!this.rebalancing) for (const t of this.tasks.values()) t.punctuateWallClock();
    if (this.exactlyOnce) {
      // A batch the client stopped (the group is rebalancing) leaves what it processed to the
      // rebalance's commit (`onRebalancing`, Kafka Streams' `handleRevocation`): the offsets of the
      // records processed so far go into the open transaction with their output, and when it commits
      // the revoked tasks close clean and the kept ones run on; when it fails, the thread resets.
      if (
        control.isRunning() &&
        !this.committing &&
        !this.rebalanceInProgress &&
        (task.commitRequested || Date.now() - this.lastCommit >= this.config.commitIntervalMs)
      )
        // The client does not rejoin the group before a running commit is done: `onRebalancing` waits for it.
        await this.commitBeside(control);
      else this.armDueCommit();
      return;
    }
    if (
      !this.rebalanceInProgress &&
      (task.commitRequested || Date.now() - this.lastCommit >= this.config.commitIntervalMs)
    ) {
      if (this.stateful) {
        await this.withHeartbeats(control, this.commit());
      } else if (!this.committing) {
        // Stateless: the commit runs beside processing. Its offsets are taken synchronously before
        // its first await and it waits only for the sends made up to then, so it stays exact.
        this.commit().catch((error) => this.fail(error as Error));
      }
    }
  }

  /** Records the partition's high watermark and the position lag behind it. */
  private updatePositionLag(topic: string, partition: number, highWatermark: number, position: number): void {
    this.highWatermarks.set(`${partition}\u0000${topic}`, highWatermark);
    this.metrics.positionLag.set(
      { client_id: this.clientId, topic, partition: String(partition) },
      Math.max(0, highWatermark - position),
    );
  }

  private intercept(
    topic: string,
    partition: number,
    records: readonly FetchedRecord[],
  ): readonly ConsumedRaw[] {
    // The task's records (ConsumedRaw, which an InterceptedRecord also is): handed on as they come back.
    let list: InterceptedRecord[] = [];
    for (let i = 0; i < records.length; i++) list.push(consumedRecord(topic, partition, records[i]));
    for (const i of this.config.consumerInterceptors) {
      try {
        list = i.onConsume(list) ?? list;
      } catch (error) {
        this.config.logger.warn('Consumer interceptor onConsume threw; ignored', { error });
      }
    }
    return list;
  }

  private async withHeartbeats<T>(control: BatchControl, work: Promise<T>): Promise<T> {
    const beat = setInterval(() => control.heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
    try {
      return await work;
    } finally {
      clearInterval(beat);
    }
  }

  /** Flush stores and producer (acks), then commit consumed offsets, then checkpoint. */
  commit(): Promise<void> {
    if (this.committing) return this.committing;
    let resolvePrepared!: () => void;
    this.commitPrepared = new Promise<void>((resolve) => (resolvePrepared = resolve));
    const onPrepared = () => {
      this.prepared = true;
      resolvePrepared();
    };
    this.committing = this.doCommit(onPrepared).finally(() => {
      this.committing = null;
      this.commitPrepared = null;
      this.prepared = false;
      resolvePrepared();
      // Records processed beside this commit wait for the next one.
      this.armDueCommit();
    });
    return this.committing;
  }

  /**
   * `exactly_once_v2`, while processed records wait uncommitted: a one-shot timer for when the
   * next commit is due. A thread whose input has run dry then commits when due, not at its next
   * idle tick (up to {@link threadTickMs} later, as Kafka Streams' `poll.ms`): until that commit,
   * what it wrote to repartition topics stays invisible to the next sub-topology and its output to
   * read_committed consumers. Commits come no more often than the commit interval either way; a
   * thread that is processing commits at the end of a batch, as before.
   */
  private armDueCommit(): void {
    if (this.dueCommit || !this.exactlyOnce || !this.uncommittedWork || this.stopping || this.failed) return;
    const wait = Math.max(0, this.lastCommit + this.config.commitIntervalMs - Date.now());
    this.dueCommit = setTimeout(() => {
      this.dueCommit = null;
      // A batch being processed commits at its end; a running commit or reset re-arms at its end;
      // after a rebalance the thread's tick commits what is due.
      if (
        this.stopping ||
        this.failed ||
        this.busy.size ||
        this.resetting ||
        this.committing ||
        this.rebalanceInProgress
      )
        return;
      if (Date.now() - this.lastCommit >= this.config.commitIntervalMs)
        this.commit().catch((e) => this.fail(e));
      else this.armDueCommit();
    }, wait);
    this.dueCommit.unref();
  }

  /**
   * Waits while processing must not go on beside the running commit: with state stores under
   * at-least-once until it is done (its checkpoint must not cover store writes made after the stores
   * were flushed); under exactly-once until it has taken its offsets, flushed
   * the caches and holds back later sends for the next transaction ({@link commitBeside}): a record
   * processed in between would put its output into the transaction without its offset. Called
   * before processing and after every wait within a batch (a commit may start meanwhile, e.g. the
   * one before a rebalance).
   */
  private async untilCommitAllows(control: BatchControl): Promise<void> {
    while (this.committing && !this.prepared && (this.exactlyOnce || this.stateful))
      await (this.exactlyOnce
        ? this.withHeartbeats(control, this.commitPrepared!)
        : this.untilCommitEnds(control));
  }

  /**
   * Waits until the running commit (if any) has ended, successfully or not: its failure is handled
   * where it was started (the thread fails, or an exactly-once reset). Heartbeats meanwhile when
   * `control` is given.
   */
  private async untilCommitEnds(control?: BatchControl): Promise<void> {
    if (!this.committing) return;
    const ended = this.committing.catch(() => undefined);
    await (control ? this.withHeartbeats(control, ended) : ended);
  }

  /**
   * How the processing of a batch of `task` (the task `key`) goes on after a wait within it:
   * `stop` when the client stopped the batch (a rebalance) or the thread is stopping: the records
   * processed so far are accounted for, the rest not processed; `task-gone` when the task was closed
   * or replaced meanwhile (a rebalance revoked it): nothing more of the batch is this thread's.
   * Synchronous and allocation-free: see {@link resumeAfterWait} for the usual wait before it.
   */
  private afterWait(control: BatchControl, key: string, task: StreamTask): AfterWait {
    if (!control.isRunning() || this.stopping) return 'stop';
    return this.tasks.get(key) === task ? 'continue' : 'task-gone';
  }

  /** {@link untilCommitAllows}, then {@link afterWait}: what follows every wait within a batch. */
  private async resumeAfterWait(control: BatchControl, key: string, task: StreamTask): Promise<AfterWait> {
    await this.untilCommitAllows(control);
    return this.afterWait(control, key, task);
  }

  /** The running commit (if any), then one of everything processed meanwhile. */
  private async commitAll(): Promise<void> {
    if (this.committing) await this.committing;
    await this.commit();
  }

  /**
   * `exactly_once_v2`: starts a commit (unless one runs) and resolves once processing may go on
   * beside it: its offsets are taken, the caches flushed, and the records sent from then on are held
   * in the collector for the next transaction, while the commit waits for the acknowledgements and
   * ends the transaction. Each transaction still holds exactly the output of the records its offsets
   * cover. A failure of the commit goes to its own handling (a reset, or the thread fails).
   */
  private async commitBeside(control: BatchControl): Promise<void> {
    if (!this.beside) return this.withHeartbeats(control, this.commit());
    if (!this.committing) this.commit().catch((error) => this.fail(error as Error));
    if (!this.prepared && this.commitPrepared) await this.withHeartbeats(control, this.commitPrepared);
  }

  private async doCommit(onPrepared: () => void): Promise<void> {
    if (!this.collector) return;
    const started = process.hrtime.bigint();
    const offsets: TopicPartitionOffset[] = [];
    for (const task of this.tasks.values()) {
      for (const [topic, next] of task.positions) {
        const k = `${task.id.partition}\u0000${topic}`;
        if ((this.committed.get(k) ?? -1) < next)
          offsets.push({ topic, partition: task.id.partition, offset: next });
      }
    }
    const tasks = [...this.tasks.values()];
    const marks = tasks.map((t) => t.commitMark);
    if (this.txn) {
      const txn = this.txn;
      // The offsets just taken cover every record processed so far (a failed commit resets the thread).
      this.uncommittedWork = false;
      const collector = this.collector;
      let held = false;
      try {
        for (const t of tasks) await t.prepareCommit();
        if (this.beside) {
          // Everything sent from here on belongs to the next transaction: held until this one ends.
          collector.hold();
          held = true;
          onPrepared();
        }
        await collector.flush();
        for (const t of tasks) t.checkFailure();
        // The group membership is read as the offsets are sent (KIP-447), as Kafka Streams'
        // `TaskExecutor.commitOffsetsOrTransaction` passes `consumer.groupMetadata()` to
        // `StreamsProducer.commitTransaction`: no JoinGroup goes out while a commit runs
        // (`onJoining` waits for it), so the generation is the member's current one; a member the
        // group moved on without (a stalled zombie) is refused and its transaction aborted.
        await txn.commit(offsets, () => this.groupMetadata());
        if (held) {
          held = false;
          collector.release();
        }
      } catch (error) {
        // The held records belong to a transaction that is abandoned with this one.
        if (held) collector.abandon();
        // Local state that cannot be written (a full disk) is fatal, as Kafka Streams'
        // ProcessorStateException from a flush: redoing the transaction would wipe, restore and
        // fail the same way again, forever. The thread fails with the cause (commit() callers).
        if (error instanceof ProcessorStateError) throw error;
        // A record the broker refused (or the handler's FAIL): the transaction can only be aborted,
        // and redoing it would meet the same record again. Kafka Streams' commit throws a
        // StreamsException there and the thread dies (the uncaught exception handler decides).
        // Unless the producer was fenced meanwhile: then the task migrated (TaskMigrated wins), and
        // the transaction is redone by whoever owns the task now.
        if (error instanceof ProductionError && !txn.fenced) throw error;
        // Fenced, or the transaction could not commit: nothing of it is visible; redo from the committed offsets.
        if (!this.stopping) {
          // A reset waiting for this commit to end (the partitions were lost) closes everything.
          if (this.resetting) return;
          await this.resetExactlyOnce(
            txn.fenced ? 'the producer was fenced' : 'the transaction could not commit',
            true,
            error,
          );
          return;
        }
        throw error;
      }
      this.markCommitted(offsets);
    } else {
      for (const t of tasks) await t.prepareCommit();
      await this.collector.flush();
      for (const t of tasks) t.checkFailure();
    }
    if (offsets.length && !this.txn) {
      try {
        await this.consumer.commit(offsets);
      } catch (error) {
        // Typically a rebalance in progress: the offsets are committed again next time.
        this.config.logger.warn('Committing offsets failed; will retry at the next commit', {
          thread: this.name,
          error,
        });
        this.lastCommitFailed = true;
        return;
      }
      this.lastCommitFailed = false;
      this.markCommitted(offsets);
      for (const i of this.config.consumerInterceptors) {
        try {
          i.onCommit?.(offsets);
        } catch (error) {
          this.config.logger.warn('Consumer interceptor onCommit threw; ignored', { error });
        }
      }
    }
    // Committed: the tasks' changes up to the offsets taken (a revoked one may now close clean).
    for (let i = 0; i < tasks.length; i++) tasks[i].committed(marks[i]);
    await postCommitAll(tasks, (topic, p) => this.collector.ackedNextOffset(topic, p));
    this.lastCommit = Date.now();
    this.metrics.commitTotal.inc({ client_id: this.clientId, thread_id: this.name });
    this.metrics.commitLatency.observe(
      { client_id: this.clientId },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }

  /** The consumer's group membership now (KIP-447), or none where the client does not expose it. */
  private groupMetadata(): ConsumerGroupMetadata {
    return (
      this.consumer.groupMetadata?.() ?? {
        groupId: this.config.applicationId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
      }
    );
  }

  /** Remembers committed offsets and sets the committed-lag gauge behind the high watermarks. */
  private markCommitted(offsets: TopicPartitionOffset[]): void {
    for (const o of offsets) {
      this.committed.set(`${o.partition}\u0000${o.topic}`, o.offset);
      const hw = this.highWatermarks.get(`${o.partition}\u0000${o.topic}`);
      if (hw !== undefined)
        this.metrics.committedLag.set(
          { consumergroup: this.config.applicationId, topic: o.topic, partition: String(o.partition) },
          Math.max(0, hw - o.offset),
        );
    }
  }

  private fail(error: Error): void {
    if (this.failed || this.stopping) return;
    this.failed = true;
    this.config.logger.error('Stream thread failed', { thread: this.name, error });
    setImmediate(() => this.listener.onFatal(this, error));
  }

  /** Stops the thread; commits first when `commit` is true and the thread did not fail. */
  async shutdown(commit: boolean): Promise<void> {
    if (this.state === 'DEAD') return;
    const canCommit = commit && !this.failed;
    this.stopping = true;
    this.setState('PENDING_SHUTDOWN');
    if (this.timer) clearInterval(this.timer);
    if (this.dueCommit) clearTimeout(this.dueCommit);
    this.dueCommit = null;
    while (this.busy.size) await Promise.all([...this.busy]);
    await this.untilCommitEnds();
    if (canCommit) {
      try {
        await this.commit();
        this.cleanCommit = true;
      } catch (error) {
        this.config.logger.warn('Final commit failed', { thread: this.name, error });
      }
    }
    const committed = canCommit && this.cleanCommit;
    for (const t of this.tasks.values()) {
      await t
        .close(committed, (topic, p) => this.collector.ackedNextOffset(topic, p))
        .catch((error) => this.config.logger.warn('Closing a task failed', { taskId: t.idText, error }));
    }
    this.tasks.clear();
    // Revoked tasks still closing (after the commit above, if it was the rebalance's).
    await Promise.all(this.closingTasks.values());
    // Tasks closed dirty under exactly-once: their open transaction is aborted now (Kafka Streams'
    // RecordCollector#closeDirty), not left to the transaction timeout holding read_committed
    // readers of its partitions back.
    if (this.txn && !committed)
      await this.txn
        .abort()
        .catch((error) =>
          this.config.logger.warn('Aborting the transaction failed', { thread: this.name, error }),
        );
    for (const [topic, partitions] of this.assignment) {
      for (const p of partitions) {
        this.metrics.positionLag.remove({ client_id: this.clientId, topic, partition: String(p) });
        this.metrics.committedLag.remove({
          consumergroup: this.config.applicationId,
          topic,
          partition: String(p),
        });
      }
    }
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.metadataAdmin?.disconnect().catch(() => undefined);
    this.setState('DEAD');
  }
}

/**
 * An interceptor's record as the task's record of the batch's partition: itself when it carries that
 * topic and partition, otherwise a copy that does.
 */
function ownRecord(topic: string, partition: number, r: ConsumedRaw): ConsumedRaw {
  return r.topic === topic && r.partition === partition ? r : consumedRecord(topic, partition, r);
}

/**
 * Each task's {@link StreamTask.postCommit} (its checkpoint, when one is due), all at once: a task's
 * checkpoint depends on no other task's, and most of its time is disk waits (the LMDB sync, the
 * checkpoint file's write, `fsync` and rename) that overlap with the other tasks' work. Waits for
 * every task, then throws the first failure (in task order), if any.
 */
async function postCommitAll(
  tasks: readonly StreamTask[],
  ackedNextOffset: (topic: string, partition: number) => number | undefined,
): Promise<void> {
  const results = await Promise.allSettled(tasks.map((t) => t.postCommit(ackedNextOffset)));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}
