/**
 * Metadata Response (Version: 3) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   throttle_time_ms => INT32
 *   (the rest as v2)
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encode as encodeV2 } from '../v2/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  e.writeInt32(r.throttleTimeMs);
  encodeV2(e, r);
}
