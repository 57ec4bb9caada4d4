import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { HeartbeatRequest, HeartbeatResponse } from './types';
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

/** Heartbeat (key 12), versions 0-4 (4 flexible). */
export function heartbeatApi(coordinator: GroupCoordinator) {
  return defineApi<HeartbeatRequest, HeartbeatResponse>({
    apiKey: 12,
    name: 'Heartbeat',
    flexibleFromVersion: 4,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
    ],
    async handle(request, context) {
      if (!authorize(context, 'Read', 'Group', request.groupId))
        return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
      return { throttleTimeMs: 0, errorCode: await coordinator.heartbeat(request) };
    },
  });
}
