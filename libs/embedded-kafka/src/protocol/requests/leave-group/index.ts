import { defineApi } from '../../api-definition';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';

/** LeaveGroup (key 13), versions 0-1. */
export function leaveGroupApi(coordinator: GroupCoordinator) {
  return defineApi<LeaveGroupRequest, LeaveGroupResponse>({
    apiKey: 13,
    name: 'LeaveGroup',
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
    ],
    async handle(request) {
      return { throttleTimeMs: 0, errorCode: await coordinator.leaveGroup(request) };
    },
  });
}
