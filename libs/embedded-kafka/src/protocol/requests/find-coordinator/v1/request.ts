/**
 * FindCoordinator Request (Version: 1) => key key_type
 *   key => STRING
 *   key_type => INT8
 */
import type { Decoder } from '../../../decoder';
import type { FindCoordinatorRequest } from '../types';

export function decode(decoder: Decoder): FindCoordinatorRequest {
  const key = decoder.readString();
  return { key, keyType: decoder.readInt8(), coordinatorKeys: null };
}
