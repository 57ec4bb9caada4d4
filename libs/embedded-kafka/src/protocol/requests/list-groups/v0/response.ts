/**
 * ListGroups Response (Version: 0) => error_code [groups]
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import type { Encoder } from '../../../encoder';
import type { ListGroupsResponse } from '../types';

export function encode(encoder: Encoder, response: ListGroupsResponse): void {
  encoder.writeInt16(response.errorCode).writeArray(response.groups, (e, g) => {
    e.writeString(g.groupId).writeString(g.protocolType);
  });
}
