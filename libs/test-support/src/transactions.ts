import type { Kafka, Producer, Transaction } from 'kafkajs';

/**
 * A connected transactional kafkajs producer (`transactionalId`, idempotent, one request in flight,
 * as kafkajs requires for transactions), for tests that write committed and aborted transactions.
 */
export async function transactionalProducer(kafka: Kafka, transactionalId: string): Promise<Producer> {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/** Who sends a transaction's offsets: a group member (its generation and member id, KIP-447). */
export interface GroupMember {
  readonly generationId: number;
  readonly memberId: string;
}

/** A producer outside the group: generation -1 and no member id (TxnOffsetCommit v0 semantics). */
export const OUTSIDE_GROUP: GroupMember = { generationId: -1, memberId: '' };

/**
 * Stages `offset` of partition 0 of `topic` for `groupId` in `txn` (kafkajs `sendOffsets`, a
 * TxnOffsetCommit), sent as `member` (default {@link OUTSIDE_GROUP}); committed with the transaction.
 */
export async function sendOffset(
  txn: Transaction,
  groupId: string,
  topic: string,
  offset: number,
  member: GroupMember = OUTSIDE_GROUP,
): Promise<void> {
  await txn.sendOffsets({
    consumerGroupId: groupId,
    generationId: member.generationId,
    memberId: member.memberId,
    groupInstanceId: null,
    topics: [{ topic, partitions: [{ partition: 0, offset: String(offset) }] }],
  });
}
