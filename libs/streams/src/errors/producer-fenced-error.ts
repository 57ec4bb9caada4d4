import { StreamsError } from './streams-error';

/**
 * A transactional producer was fenced: another producer with the same transactional id started,
 * or the broker aborted its transaction (timeout) and bumped its epoch (Kafka's
 * `ProducerFencedException` / `InvalidProducerEpochException`). Under `exactly_once_v2` the
 * runtime treats it as Kafka Streams' `TaskMigratedException`: its tasks are closed dirty, their
 * state is restored from the changelogs, and the thread rejoins the group.
 */
export class ProducerFencedError extends StreamsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProducerFencedError';
  }
}

/**
 * Kafka error names that mean the transactional producer was fenced. OUT_OF_ORDER_SEQUENCE_NUMBER
 * counts too: Kafka Streams' RecordCollectorImpl treats an OutOfOrderSequenceException from a send
 * as it treats ProducerFenced and InvalidProducerEpoch (TaskMigrated: the task may have moved).
 */
const FENCED = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

/** True when `error` (or an error in its cause chain) is a producer-fencing error of a Kafka client. */
export function isFencedError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown): boolean => {
    if (e === null || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const x = e as {
      type?: unknown;
      name?: unknown;
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    if (e instanceof ProducerFencedError) return true;
    if (typeof x.type === 'string' && FENCED.has(x.type)) return true;
    // @platformatic/kafka names the Kafka error in `apiId`.
    const apiId = (e as { apiId?: unknown }).apiId;
    if (typeof apiId === 'string' && FENCED.has(apiId)) return true;
    if (walk(x.cause) || walk(x.originalError)) return true;
    return Array.isArray(x.errors) && x.errors.some(walk);
  };
  return walk(error);
}
