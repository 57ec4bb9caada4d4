import { ProduceRefusedError, RefusedPartition } from '../../errors/produce-refused-error';
import { isFencedError } from '../../errors/producer-fenced-error';
import type { ProduceAck } from '../kafka-client';

/** A produce response as @platformatic/kafka attaches it to the ResponseError of a partition error. */
interface ProduceResponse {
  readonly responses?: ReadonlyArray<{
    readonly name: string;
    readonly partitionResponses: ReadonlyArray<{
      readonly index: number;
      readonly errorCode: number;
      readonly baseOffset: bigint;
    }>;
  }>;
}

/** The client's error of one destination broker. */
interface DestinationError extends Error {
  readonly code?: string;
  readonly response?: ProduceResponse;
  /** One ProtocolError per failed partition, `path` naming its place in the response. */
  readonly errors?: ReadonlyArray<Error & { path?: string; canRetry?: boolean }>;
}

/**
 * A failed `Producer#send` of @platformatic/kafka as a {@link ProduceRefusedError} when the brokers
 * answered and only refused some partitions for good (a non-retriable error per partition, e.g.
 * MESSAGE_TOO_LARGE): the client rejects the whole send, with the produce response of each broker
 * that refused a partition and the offsets of the brokers that wrote everything (`produced`).
 * Anything else (a broker not answered, a retriable or fencing error): `undefined`, the error stays
 * as it is. `count` gives the records the runtime sent to a partition with an explicit partition.
 */
export function produceRefused(
  error: unknown,
  count: (topic: string, partition: number) => number,
): ProduceRefusedError | undefined {
  const e = error as {
    errors?: readonly DestinationError[];
    produced?: { offsets?: ReadonlyArray<{ topic: string; partition: number; offset: bigint }> };
  };
  const destinations = e?.errors;
  if (!destinations || destinations.length === 0) return undefined;
  const acks: ProduceAck[] = [];
  const refused: RefusedPartition[] = [];
  const ack = (topic: string, partition: number, offset: bigint) =>
    acks.push({ topic, partition, baseOffset: Number(offset), count: count(topic, partition) });
  for (const o of e.produced?.offsets ?? []) ack(o.topic, o.partition, o.offset);
  for (const destination of destinations) {
    const responses = destination.code === 'PLT_KFK_RESPONSE' ? destination.response?.responses : undefined;
    if (!responses) return undefined;
    const byPath = new Map((destination.errors ?? []).map((p) => [p.path, p]));
    responses.forEach((topic, i) =>
      topic.partitionResponses.forEach((p, j) => {
        if (p.errorCode === 0) {
          ack(topic.name, p.index, p.baseOffset);
          return;
        }
        const partitionError = byPath.get(`/responses/${i}/partition_responses/${j}`) ?? destination;
        refused.push({ topic: topic.name, partition: p.index, error: partitionError });
      }),
    );
  }
  if (refused.length === 0) return undefined;
  for (const r of refused)
    if ((r.error as { canRetry?: boolean }).canRetry !== false || isFencedError(r.error)) return undefined;
  return new ProduceRefusedError(acks, refused, { cause: error });
}
