import { defineApi } from '../../api-definition';
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

/** SyncGroup (key 14), versions 0-3; followers wait for the leader's assignment. */
export function syncGroupApi(coordinator: GroupCoordinator) {
  return defineApi<SyncGroupRequest, SyncGroupResponse>({
    apiKey: 14,
    name: 'SyncGroup',
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
    ],
    async handle(request) {
      return { ...(await coordinator.syncGroup(request)), throttleTimeMs: 0 };
    },
  });
}
