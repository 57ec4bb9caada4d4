/**
 * FindCoordinator Request (Version: 0) => key
 *   key => STRING
 */
import type { Decoder } from '../../../decoder';
import type { FindCoordinatorRequest } from '../types';

export function decode(decoder: Decoder): FindCoordinatorRequest {
  return { key: decoder.readString(), keyType: 0, coordinatorKeys: null };
}
