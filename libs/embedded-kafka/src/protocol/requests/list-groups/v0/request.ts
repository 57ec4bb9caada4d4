/**
 * ListGroups Request (Version: 0) =>
 *   (empty body)
 */
import type { Decoder } from '../../../decoder';
import type { ListGroupsRequest } from '../types';

export function decode(_decoder: Decoder): ListGroupsRequest {
  return { statesFilter: [], typesFilter: [] };
}
