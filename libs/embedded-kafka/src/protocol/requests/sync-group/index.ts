import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { SyncGroupRequest, SyncGroupResponse } from './types';
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

/** SyncGroup (key 14), versions 0-5 (4+ flexible); followers wait for the leader's assignment. */
export function syncGroupApi(coordinator: GroupCoordinator) {
  return defineApi<SyncGroupRequest, SyncGroupResponse>({
    apiKey: 14,
    name: 'SyncGroup',
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
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
          assignment: Buffer.alloc(0),
          protocolType: null,
          protocolName: null,
        };
      const result = await coordinator.syncGroup(request);
      const ok = result.errorCode === 0;
      return {
        ...result,
        throttleTimeMs: 0,
        protocolType: ok ? (request.protocolType ?? null) : null,
        protocolName: ok ? (request.protocolName ?? null) : null,
      };
    },
  });
}
