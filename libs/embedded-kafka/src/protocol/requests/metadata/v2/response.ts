/**
 * Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
 *   brokers => node_id host port rack       (as v1)
 *   cluster_id => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions]   (as v1)
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeBrokers, encodeTopics } from '../v1/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeBrokers(e, r);
  e.writeNullableString(r.clusterId).writeInt32(r.controllerId);
  encodeTopics(e, r);
}
