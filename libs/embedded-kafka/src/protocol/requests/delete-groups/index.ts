import { defineApi } from '../../api-definition';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';

/** DeleteGroups (key 42), versions 0-2 (2 flexible): removes empty groups and their offsets. */
export function deleteGroupsApi(coordinator: GroupCoordinator) {
  return defineApi<DeleteGroupsRequest, DeleteGroupsResponse>({
    apiKey: 42,
    name: 'DeleteGroups',
    flexibleFromVersion: 2,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
    ],
    async handle(request) {
      return { throttleTimeMs: 0, results: await coordinator.deleteGroups(request.groupsNames) };
    },
  });
}
