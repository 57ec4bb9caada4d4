/**
 * FindCoordinator Request (Version: 4) => key_type [coordinator_keys] TAG_BUFFER
 *   key_type => INT8
 *   coordinator_keys => COMPACT_STRING
 *
 * Batched lookups (KIP-699).
 */
import type { Decoder } from '../../../decoder';
import type { FindCoordinatorRequest } from '../types';

export function decode(d: Decoder): FindCoordinatorRequest {
  const keyType = d.readInt8();
  const coordinatorKeys = d.readCompactStringArray();
  d.readTaggedFields();
  return { key: coordinatorKeys[0] ?? '', keyType, coordinatorKeys };
}
