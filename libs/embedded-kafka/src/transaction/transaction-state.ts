/** States of a transactional id, named as Kafka's DescribeTransactions reports them. */
export type TransactionState =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'
  | 'Dead'
  | 'PrepareEpochFence';

/** Every state name (ListTransactions' state filter is checked against these). */
export const TRANSACTION_STATES: readonly TransactionState[] = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
];

/** An offset a transaction commits for a consumer group when it commits (TxnOffsetCommit). */
export interface PendingTxnOffset {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string;
}

/** A topic partition taking part in a transaction. */
export interface TxnPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * What the transaction coordinator keeps per transactional id (Kafka's
 * TransactionMetadata); each change is written to the transaction log before
 * it is acknowledged.
 */
export interface TransactionMetadata {
  readonly transactionalId: string;
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TransactionState;
  /** Partitions added by AddPartitionsToTxn since the transaction started. */
  partitions: TxnPartition[];
  /** Groups added by AddOffsetsToTxn. */
  groups: string[];
  /** Offsets from TxnOffsetCommit, made visible to the group when the transaction commits. */
  pendingOffsets: PendingTxnOffset[];
  /** When the open transaction started (its first AddPartitions/AddOffsets), -1 when none is open. */
  startTimestamp: number;
  lastUpdateTimestamp: number;
}

/** Parses one transaction-log line; null when it is not a well-formed entry. */
export function parseTransactionMetadata(value: unknown): TransactionMetadata | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (
    typeof r['transactionalId'] !== 'string' ||
    typeof r['producerId'] !== 'number' ||
    typeof r['producerEpoch'] !== 'number' ||
    typeof r['timeoutMs'] !== 'number' ||
    !TRANSACTION_STATES.includes(r['state'] as TransactionState) ||
    !Array.isArray(r['partitions']) ||
    !Array.isArray(r['groups']) ||
    !Array.isArray(r['pendingOffsets'])
  )
    return null;
  return value as TransactionMetadata;
}
