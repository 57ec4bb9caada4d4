import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
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
    async handle(request, context) {
      // As Kafka: DELETE on each group, else GROUP_AUTHORIZATION_FAILED for it.
      const allowed = request.groupsNames.filter((g) => authorize(context, 'Delete', 'Group', g));
      const deleted = allowed.length > 0 ? await coordinator.deleteGroups(allowed) : [];
      return {
        throttleTimeMs: 0,
        results: request.groupsNames.map(
          (g) =>
            deleted.find((d) => d.groupId === g) ?? {
              groupId: g,
              errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
            },
        ),
      };
    },
  });
}
