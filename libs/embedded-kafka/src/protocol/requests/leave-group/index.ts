import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import { authorize } from '../../authorize';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';
import * as v3req from './v3/request';
import * as v3res from './v3/response';
import * as v4req from './v4/request';
import * as v4res from './v4/response';
import * as v5req from './v5/request';
import * as v5res from './v5/response';

/** Errors about the group or coordinator rather than one member: answered at the top level. */
const GROUP_LEVEL = new Set<number>([ErrorCode.INVALID_GROUP_ID, ErrorCode.COORDINATOR_NOT_AVAILABLE]);

/** What every member would get when the principal may not READ the group. */
const UNAUTHORIZED = ErrorCode.GROUP_AUTHORIZATION_FAILED;

/**
 * LeaveGroup (key 13), versions 0-5 (3+ batched members with group instance
 * ids, 4+ flexible). Each member leaves in turn; the group rebalances without them.
 */
export function leaveGroupApi(coordinator: GroupCoordinator) {
  return defineApi<LeaveGroupRequest, LeaveGroupResponse>({
    apiKey: 13,
    name: 'LeaveGroup',
    flexibleFromVersion: 4,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
      { decode: v5req.decode, encode: v5res.encode },
    ],
    async handle(request, context) {
      if (!authorize(context, 'Read', 'Group', request.groupId))
        return { throttleTimeMs: 0, errorCode: UNAUTHORIZED, members: [] };
      const members = [];
      for (const m of request.members) {
        const errorCode = await coordinator.leaveGroup({ groupId: request.groupId, ...m });
        members.push({ ...m, errorCode });
      }
      const first = members[0]?.errorCode ?? ErrorCode.NONE;
      if (context.apiVersion < 3) return { throttleTimeMs: 0, errorCode: first, members };
      if (GROUP_LEVEL.has(first)) return { throttleTimeMs: 0, errorCode: first, members: [] };
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, members };
    },
  });
}
