import { ErrorCode } from '../protocol/error-codes';
import type { GroupCoordinator } from '../coordinator/group-coordinator';
import type { LogManager } from '../log/log-manager';
import type { TransactionLog } from './transaction-log';
import type {
  PendingTxnOffset,
  TransactionMetadata,
  TransactionState,
  TxnPartition,
} from './transaction-state';

/** Largest producer epoch; an id whose epoch would pass it gets a new producer id (as Kafka). */
const MAX_EPOCH = 32766;
/**
 * First wait before a transaction's markers (and its offsets and completion) are written again after a
 * write failed (Kafka's `retry.backoff.ms`); it doubles per failure up to {@link MARKER_RETRY_MAX_MS}.
 */
export const MARKER_RETRY_MIN_MS = 100;
/** Longest wait between two attempts at a transaction's markers. */
export const MARKER_RETRY_MAX_MS = 2000;

/** What the coordinator needs from the broker. */
export interface TransactionCoordinatorOptions {
  readonly log: TransactionLog;
  readonly logs: LogManager;
  readonly allocateProducerId: () => number;
  readonly groups: () => GroupCoordinator | undefined;
  readonly now: () => number;
  readonly logger: { info(m: string): void; warn(m: string): void };
  /** `transaction.max.timeout.ms` (Kafka's default 900000). */
  readonly maxTimeoutMs: number;
}

/** Outcome of InitProducerId. */
export interface InitProducerIdResult {
  readonly errorCode: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** The producer-fencing error for a request version: PRODUCER_FENCED where the version knows it (KIP-588). */
export type FencedCode = typeof ErrorCode.PRODUCER_FENCED | typeof ErrorCode.INVALID_PRODUCER_EPOCH;

/**
 * Kafka's transaction coordinator for one broker (KIP-98, KIP-447): producer
 * ids and epochs per transactional id (a new InitProducerId bumps the epoch and
 * aborts what the previous incarnation left open, fencing it), the partitions
 * and groups of the open transaction, the offsets it commits, and EndTxn
 * writing commit/abort markers into every partition. Every state change is in
 * the {@link TransactionLog} before it is answered; on start, transactions
 * caught between prepare and complete are completed, and open ones are left to
 * their timeout. Transactions open longer than their timeout are aborted with
 * a bumped epoch (fencing their producer), checked by {@link abortTimedOut}.
 */
export class TransactionCoordinator {
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly byProducerId = new Map<number, TransactionMetadata>();
  /** Transactions whose markers, offsets or completion failed to write, by transactional id: the retry timer. */
  private readonly retries = new Map<string, ReturnType<typeof setTimeout>>();
  private active = false;

  constructor(private readonly options: TransactionCoordinatorOptions) {}

  /** Loads the log and completes transactions a crash left between prepare and complete. */
  async start(): Promise<void> {
    for (const meta of this.options.log.load().values()) this.index(meta);
    this.active = true;
    for (const meta of this.txns.values()) {
      if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') {
        this.options.logger.info(
          `transactional id ${meta.transactionalId}: completing ${meta.state} left by a restart`,
        );
        // The prepare is logged already: markers, offsets and completion (retried if the disk refuses).
        await this.finish(meta, meta.state === 'PrepareCommit', new Set(), MARKER_RETRY_MIN_MS);
      }
    }
  }

  stop(): void {
    this.active = false;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.options.log.close();
  }

  get isActive(): boolean {
    return this.active;
  }

  /** The metadata of a transactional id (read-only use). */
  describe(transactionalId: string): Readonly<TransactionMetadata> | undefined {
    return this.txns.get(transactionalId);
  }

  /** Every transactional id's metadata (read-only use). */
  all(): readonly Readonly<TransactionMetadata>[] {
    return [...this.txns.values()];
  }

  /** InitProducerId for a transactional id. */
  async initProducerId(
    transactionalId: string,
    timeoutMs: number,
    expected: { producerId: number; producerEpoch: number } | null,
    fenced: FencedCode,
  ): Promise<InitProducerIdResult> {
    const fail = (errorCode: number): InitProducerIdResult => ({
      errorCode,
      producerId: -1,
      producerEpoch: -1,
    });
    if (!this.active) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (timeoutMs <= 0 || timeoutMs > this.options.maxTimeoutMs)
      return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const now = this.options.now();
    let meta = this.txns.get(transactionalId);
    if (meta === undefined) {
      meta = {
        transactionalId,
        producerId: this.options.allocateProducerId(),
        producerEpoch: 0,
        timeoutMs,
        state: 'Empty',
        partitions: [],
        groups: [],
        pendingOffsets: [],
        startTimestamp: -1,
        lastUpdateTimestamp: now,
      };
      this.persist(meta);
      return { errorCode: ErrorCode.NONE, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
    }
    if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort' || meta.state === 'PrepareEpochFence')
      return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    if (
      expected !== null &&
      expected.producerId >= 0 &&
      (expected.producerId !== meta.producerId || expected.producerEpoch !== meta.producerEpoch)
    )
      return fail(fenced);
    // A new incarnation: bump the epoch (fencing the old one) and abort what it left open.
    this.bumpEpoch(meta);
    meta.timeoutMs = timeoutMs;
    if (meta.state === 'Ongoing') {
      this.options.logger.info(
        `transactional id ${meta.transactionalId}: aborting the open transaction of the fenced producer`,
      );
      // Markers the disk refused are retried; until they are written the producer retries (as Kafka).
      if (!(await this.complete(meta, false))) return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    } else {
      meta.state = 'Empty';
      meta.lastUpdateTimestamp = now;
      this.persist(meta);
    }
    return { errorCode: ErrorCode.NONE, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
  }

  /** AddPartitionsToTxn: an error code per partition. */
  addPartitions(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    partitions: readonly TxnPartition[],
    fenced: FencedCode,
  ): number[] {
    const check = this.checkProducer(transactionalId, producerId, producerEpoch, fenced);
    if (check.errorCode !== ErrorCode.NONE) return partitions.map(() => check.errorCode);
    const unknown = partitions.map((p) => this.options.logs.partition(p.topic, p.partition) === undefined);
    if (unknown.some((u) => u))
      return unknown.map((u) =>
        u ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED,
      );
    const meta = check.meta!;
    this.begin(meta);
    for (const p of partitions)
      if (!meta.partitions.some((x) => x.topic === p.topic && x.partition === p.partition))
        meta.partitions.push({ topic: p.topic, partition: p.partition });
    this.persist(meta);
    return partitions.map(() => ErrorCode.NONE);
  }

  /** AddOffsetsToTxn: the group's offsets will be committed by this transaction. */
  addOffsets(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    groupId: string,
    fenced: FencedCode,
  ): number {
    const check = this.checkProducer(transactionalId, producerId, producerEpoch, fenced);
    if (check.errorCode !== ErrorCode.NONE) return check.errorCode;
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const meta = check.meta!;
    this.begin(meta);
    if (!meta.groups.includes(groupId)) meta.groups.push(groupId);
    this.persist(meta);
    return ErrorCode.NONE;
  }

  /**
   * TxnOffsetCommit: stages offsets for `groupId`, visible to the group when
   * the transaction commits. `member` is the consumer-group metadata (KIP-447,
   * v3+), checked against the group.
   */
  commitOffsets(
    transactionalId: string,
    groupId: string,
    producerId: number,
    producerEpoch: number,
    member: { generationId: number; memberId: string; groupInstanceId: string | null },
    offsets: readonly { topic: string; partition: number; offset: number; metadata: string }[],
    fenced: FencedCode,
  ): number[] {
    const check = this.checkProducer(transactionalId, producerId, producerEpoch, fenced);
    if (check.errorCode !== ErrorCode.NONE) return offsets.map(() => check.errorCode);
    const meta = check.meta!;
    if (meta.state !== 'Ongoing' || !meta.groups.includes(groupId))
      return offsets.map(() => ErrorCode.INVALID_TXN_STATE);
    const groups = this.options.groups();
    const memberError =
      groups?.validateTransactionalCommit(
        groupId,
        member.generationId,
        member.memberId,
        member.groupInstanceId,
      ) ?? ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (memberError !== ErrorCode.NONE) return offsets.map(() => memberError);
    const codes = offsets.map((o) => {
      if (this.options.logs.partition(o.topic, o.partition) === undefined)
        return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      const pending: PendingTxnOffset = { groupId, ...o };
      meta.pendingOffsets = meta.pendingOffsets.filter(
        (p) => !(p.groupId === groupId && p.topic === o.topic && p.partition === o.partition),
      );
      meta.pendingOffsets.push(pending);
      return ErrorCode.NONE as number;
    });
    meta.lastUpdateTimestamp = this.options.now();
    this.persist(meta);
    return codes;
  }

  /** EndTxn: commits or aborts the open transaction (markers, then offsets). */
  async endTransaction(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    commit: boolean,
    fenced: FencedCode,
  ): Promise<number> {
    const meta = this.txns.get(transactionalId);
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (meta === undefined || meta.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== meta.producerEpoch) return fenced;
    switch (meta.state) {
      case 'Ongoing':
        try {
          await this.complete(meta, commit);
        } catch (err) {
          // The disk refused the prepare: the transaction stays open, and the client is answered as Kafka
          // answers a transaction-log append refused for storage (NOT_COORDINATOR: it looks the
          // coordinator up again and retries EndTxn).
          if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
          this.options.logger.warn(
            `transactional id ${transactionalId}: logging the ${commit ? 'commit' : 'abort'} failed: ${(err as Error).message}`,
          );
          return ErrorCode.NOT_COORDINATOR;
        }
        return ErrorCode.NONE;
      case 'CompleteCommit':
        return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case 'CompleteAbort':
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      case 'PrepareCommit':
      case 'PrepareAbort':
        return ErrorCode.CONCURRENT_TRANSACTIONS;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /**
   * Checks a transactional Produce batch (KIP-890 verification): the producer
   * must have the current epoch and have added the partition to its open
   * transaction. Undefined when it may be written.
   */
  verifyProduce(
    topic: string,
    partition: number,
    producerId: number,
    producerEpoch: number,
  ): { errorCode: number; message: string } | undefined {
    const meta = this.byProducerId.get(producerId);
    if (meta === undefined)
      return {
        errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING,
        message: `producer id ${producerId} belongs to no transactional id`,
      };
    if (producerEpoch < meta.producerEpoch)
      return {
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `producer ${producerId} epoch ${producerEpoch} is fenced by epoch ${meta.producerEpoch}`,
      };
    if (
      producerEpoch !== meta.producerEpoch ||
      meta.state !== 'Ongoing' ||
      !meta.partitions.some((p) => p.topic === topic && p.partition === partition)
    )
      return {
        errorCode: ErrorCode.INVALID_TXN_STATE,
        message: `${topic}-${partition} is not part of an open transaction of producer ${producerId}`,
      };
    return undefined;
  }

  /** True when an open transaction stages an offset for this group partition (OffsetFetch requireStable). */
  hasPendingOffset(groupId: string, topic: string, partition: number): boolean {
    for (const m of this.txns.values())
      if (
        m.state === 'Ongoing' &&
        m.pendingOffsets.some((p) => p.groupId === groupId && p.topic === topic && p.partition === partition)
      )
        return true;
    return false;
  }

  /** Aborts every transaction open longer than its timeout, bumping the epoch (the producer is fenced). */
  async abortTimedOut(): Promise<number> {
    if (!this.active) return 0;
    const now = this.options.now();
    let aborted = 0;
    for (const meta of [...this.txns.values()]) {
      if (meta.state !== 'Ongoing' || meta.startTimestamp < 0 || now - meta.startTimestamp <= meta.timeoutMs)
        continue;
      this.options.logger.warn(
        `transactional id ${meta.transactionalId}: aborting a transaction open for ${now - meta.startTimestamp} ms (timeout ${meta.timeoutMs} ms)`,
      );
      this.bumpEpoch(meta);
      await this.complete(meta, false);
      aborted++;
    }
    return aborted;
  }

  private checkProducer(
    transactionalId: string,
    producerId: number,
    producerEpoch: number,
    fenced: FencedCode,
  ): { errorCode: number; meta?: TransactionMetadata } {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    const meta = this.txns.get(transactionalId);
    if (meta === undefined || meta.producerId !== producerId)
      return { errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING };
    if (producerEpoch !== meta.producerEpoch) return { errorCode: fenced };
    if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort')
      return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
    return { errorCode: ErrorCode.NONE, meta };
  }

  private begin(meta: TransactionMetadata): void {
    const now = this.options.now();
    if (meta.state !== 'Ongoing') {
      meta.state = 'Ongoing';
      meta.partitions = [];
      meta.groups = [];
      meta.pendingOffsets = [];
      meta.startTimestamp = now;
    }
    meta.lastUpdateTimestamp = now;
  }

  private bumpEpoch(meta: TransactionMetadata): void {
    if (meta.producerEpoch >= MAX_EPOCH) {
      this.byProducerId.delete(meta.producerId);
      meta.producerId = this.options.allocateProducerId();
      meta.producerEpoch = 0;
      this.byProducerId.set(meta.producerId, meta);
    } else {
      meta.producerEpoch++;
    }
  }

  /**
   * Ends the open transaction: PrepareCommit/PrepareAbort (durable), markers in
   * every partition, the offsets (commit only), then CompleteCommit/CompleteAbort.
   * True once complete. If a write after the prepare fails (a full disk), the
   * transaction stays in its prepare state and the rest is retried with backoff
   * until it succeeds, as Kafka's `TransactionMarkerChannelManager` retries marker
   * writes: false then (EndTxn still answers NONE, as Kafka answers once the prepare
   * is logged; the producer's next requests get CONCURRENT_TRANSACTIONS until then).
   * Throws, with the transaction unchanged, if the disk refuses the prepare itself.
   */
  private async complete(meta: TransactionMetadata, commit: boolean): Promise<boolean> {
    const previous = { state: meta.state, lastUpdateTimestamp: meta.lastUpdateTimestamp };
    meta.state = commit ? 'PrepareCommit' : 'PrepareAbort';
    meta.lastUpdateTimestamp = this.options.now();
    try {
      this.persist(meta);
    } catch (err) {
      // Not logged, so not prepared: the transaction stays as it was and the caller gets the error.
      meta.state = previous.state;
      meta.lastUpdateTimestamp = previous.lastUpdateTimestamp;
      throw err;
    }
    return this.finish(meta, commit, new Set(), MARKER_RETRY_MIN_MS);
  }

  /**
   * Writes the markers of a prepared transaction not yet in `written` (indexes into its partitions),
   * commits its offsets and logs it complete; on a failure, schedules itself again after `backoffMs`.
   */
  private async finish(
    meta: TransactionMetadata,
    commit: boolean,
    written: Set<number>,
    backoffMs: number,
  ): Promise<boolean> {
    try {
      const now = this.options.now();
      for (let i = 0; i < meta.partitions.length; i++) {
        if (written.has(i)) continue;
        const p = meta.partitions[i]!;
        this.options.logs
          .partition(p.topic, p.partition)
          ?.appendMarker(meta.producerId, meta.producerEpoch, commit, 0, now);
        written.add(i);
      }
      if (commit && meta.pendingOffsets.length > 0) {
        const groups = this.options.groups();
        const byGroup = new Map<string, PendingTxnOffset[]>();
        for (const o of meta.pendingOffsets) byGroup.set(o.groupId, [...(byGroup.get(o.groupId) ?? []), o]);
        for (const [groupId, offsets] of byGroup) await groups?.commitTransactionalOffsets(groupId, offsets);
      }
      const finalState: TransactionState = commit ? 'CompleteCommit' : 'CompleteAbort';
      meta.state = finalState;
      meta.partitions = [];
      meta.groups = [];
      meta.pendingOffsets = [];
      meta.startTimestamp = -1;
      meta.lastUpdateTimestamp = this.options.now();
      this.persist(meta);
      return true;
    } catch (err) {
      if (!this.active) return false;
      const id = meta.transactionalId;
      this.options.logger.warn(
        `transactional id ${id}: completing ${commit ? 'the commit' : 'the abort'} failed (${(err as Error).message}); retrying in ${backoffMs} ms`,
      );
      const next = Math.min(backoffMs * 2, MARKER_RETRY_MAX_MS);
      this.retries.set(
        id,
        setTimeout(() => {
          this.retries.delete(id);
          void this.finish(meta, commit, written, next);
        }, backoffMs),
      );
      return false;
    }
  }

  private index(meta: TransactionMetadata): void {
    const old = this.txns.get(meta.transactionalId);
    if (old) this.byProducerId.delete(old.producerId);
    this.txns.set(meta.transactionalId, meta);
    this.byProducerId.set(meta.producerId, meta);
  }

  private persist(meta: TransactionMetadata): void {
    this.index(meta);
    this.options.log.write(meta);
    this.options.log.maybeCompact([...this.txns.values()]);
  }
}
