import { defineApi } from '../../api-definition';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types';
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
import { AUTHORIZED_OPERATIONS_OMITTED, authorizedOperations } from '../../authorized-operations';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';

/** DescribeGroups (key 15), versions 0-5 (5 flexible; authorized operations from 3, instance ids from 4). */
export function describeGroupsApi(coordinator: GroupCoordinator) {
  return defineApi<DescribeGroupsRequest, DescribeGroupsResponse>({
    apiKey: 15,
    name: 'DescribeGroups',
    flexibleFromVersion: 5,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
      { decode: v5req.decode, encode: v5res.encode },
    ],
    async handle(request, context) {
      // As Kafka: DESCRIBE on each group, else that group answers GROUP_AUTHORIZATION_FAILED.
      const allowed = request.groups.filter((g) => authorize(context, 'Describe', 'Group', g));
      const described = allowed.length > 0 ? await coordinator.describeGroups(allowed) : [];
      const groups = request.groups.map(
        (g) =>
          described.find((d) => d.groupId === g) ?? {
            errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
            groupId: g,
            groupState: '',
            protocolType: '',
            protocolData: '',
            members: [],
          },
      );
      return {
        throttleTimeMs: 0,
        groups,
        authorizedOperations: request.includeAuthorizedOperations
          ? authorizedOperations(context, 'Group', request.groups[0] ?? '')
          : AUTHORIZED_OPERATIONS_OMITTED,
      };
    },
  });
}
