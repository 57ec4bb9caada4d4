/**
 * FindCoordinator Request (Version: 3) => key key_type TAG_BUFFER
 *   key => COMPACT_STRING
 *   key_type => INT8
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { FindCoordinatorRequest } from '../types';

export function decode(d: Decoder): FindCoordinatorRequest {
  const key = d.readCompactString();
  const keyType = d.readInt8();
  d.readTaggedFields();
  return { key, keyType, coordinatorKeys: null };
}
