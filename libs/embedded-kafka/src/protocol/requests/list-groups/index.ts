import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { ListGroupsRequest, ListGroupsResponse } from './types';
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

/**
 * ListGroups (key 16), versions 0-5 (3+ flexible; states filter from 4, types
 * filter from 5: every group here is `classic`).
 */
export function listGroupsApi(coordinator: GroupCoordinator) {
  return defineApi<ListGroupsRequest, ListGroupsResponse>({
    apiKey: 16,
    name: 'ListGroups',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
      { decode: v5req.decode, encode: v5res.encode },
    ],
    async handle(request, context) {
      const { errorCode, groups } = await coordinator.listGroups();
      const states = new Set(request.statesFilter.map((s) => s.toLowerCase()));
      const types = new Set(request.typesFilter.map((t) => t.toLowerCase()));
      // As Kafka: every group with DESCRIBE on the cluster, else only the groups it may DESCRIBE.
      const all = authorize(context, 'Describe', 'Cluster', 'kafka-cluster', false);
      const wanted = groups.filter(
        (g) =>
          (all || authorize(context, 'Describe', 'Group', g.groupId, false)) &&
          (states.size === 0 || states.has(g.groupState.toLowerCase())) &&
          (types.size === 0 || types.has('classic')),
      );
      return { throttleTimeMs: 0, errorCode, groups: wanted };
    },
  });
}
