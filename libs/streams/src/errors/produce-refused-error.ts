import type { ProduceAck } from '../client/kafka-client';
import { StreamsError } from './streams-error';

/** A partition whose batch the broker refused in a produce request: none of its records was written. */
export interface RefusedPartition {
  readonly topic: string;
  readonly partition: number;
  /** The client's error for the partition (e.g. the broker's MESSAGE_TOO_LARGE). */
  readonly error: Error;
}

/**
 * A produce request that the broker answered with a non-retriable error for some partitions (a
 * record larger than the topic's `max.message.bytes`, say) while it appended the batches of the
 * others, as Kafka's produce response reports per partition: `acks` are the written partitions
 * (as a successful send resolves with them), `refused` the partitions none of whose records was
 * written. Client seams reject `StreamsProducer.send` with it, so that the runtime re-sends nothing
 * already written and hands only the refused records to the production exception handler.
 */
export class ProduceRefusedError extends StreamsError {
  constructor(
    readonly acks: readonly ProduceAck[],
    readonly refused: readonly RefusedPartition[],
    options?: { cause?: unknown },
  ) {
    super(
      `The broker refused the records of ${refused
        .map((r) => `topic "${r.topic}" partition ${r.partition}`)
        .join(', ')}: ${refused[0]?.error.message ?? 'no reason given'}`,
      { ...options, retriable: false },
    );
    this.name = 'ProduceRefusedError';
  }
}
