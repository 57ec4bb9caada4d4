/**
 * Produce Response (Version: 1) => [responses] throttle_time_ms
 *   responses => name [partition_responses]      (as v0)
 *   throttle_time_ms => INT32
 */
import type { Encoder } from '../../../encoder';
import type { ProduceResponse } from '../types';
import { encodeResponses } from '../v0/response';

export function encode(e: Encoder, r: ProduceResponse): void {
  encodeResponses(e, r);
  e.writeInt32(r.throttleTimeMs);
}
