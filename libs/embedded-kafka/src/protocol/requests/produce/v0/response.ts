/**
 * Produce Response (Version: 0) => [responses]
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 */
import type { Encoder } from '../../../encoder';
import type { ProducePartitionResponse, ProduceResponse } from '../types';

/** Writes the responses array; `extra` appends the per-partition fields of later versions. */
export function encodeResponses(
  e: Encoder,
  r: ProduceResponse,
  extra?: (e: Encoder, p: ProducePartitionResponse) => void,
): void {
  e.writeArray(r.responses, (x, t) => {
    x.writeString(t.name);
    x.writeArray(t.partitions, (y, p) => {
      y.writeInt32(p.index).writeInt16(p.errorCode).writeInt64(p.baseOffset);
      if (extra) extra(y, p);
    });
  });
}

export function encode(e: Encoder, r: ProduceResponse): void {
  encodeResponses(e, r);
}
