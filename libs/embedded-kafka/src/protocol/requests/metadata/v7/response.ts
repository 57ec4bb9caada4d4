/**
 * Metadata Response (Version: 7) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   (as v5, and partitions gain leader_epoch:)
 *     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
 *       leader_epoch => INT32
 */
import type { Encoder } from '../../../encoder';
import type { MetadataResponse } from '../types';
import { encodeV5To8 } from '../v5/response';

export function encode(e: Encoder, r: MetadataResponse): void {
  encodeV5To8(e, r, 7);
}
