import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import type { RequestContext } from '../../request-context';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { JoinGroupRequest, JoinGroupResponse } from './types';
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
import * as v6req from './v6/request';
import * as v6res from './v6/response';
import * as v7req from './v7/request';
import * as v7res from './v7/response';
import * as v8req from './v8/request';
import * as v8res from './v8/response';
import * as v9req from './v9/request';
import * as v9res from './v9/response';

/** Kafka reports a member's host as `/<address>`. */
export function clientHostOf(context: RequestContext): string {
  const address = context.connection.remoteAddress;
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : address;
  return `/${host.replace(/^\[(.*)\]$/, '$1')}`;
}

/** JoinGroup (key 11), versions 0-9 (6+ flexible); the response waits for the rebalance. */
export function joinGroupApi(coordinator: GroupCoordinator) {
  return defineApi<JoinGroupRequest, JoinGroupResponse>({
    apiKey: 11,
    name: 'JoinGroup',
    flexibleFromVersion: 6,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
      { decode: v5req.decode, encode: v5res.encode },
      { decode: v6req.decode, encode: v6res.encode },
      { decode: v7req.decode, encode: v7res.encode },
      { decode: v8req.decode, encode: v8res.encode },
      { decode: v9req.decode, encode: v9res.encode },
    ],
    async handle(request, context) {
      // As Kafka: READ on the group.
      if (!authorize(context, 'Read', 'Group', request.groupId))
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
          generationId: -1,
          protocolType: null,
          protocolName: null,
          leader: '',
          memberId: request.memberId,
          members: [],
        };
      const result = await coordinator.joinGroup({
        ...request,
        clientId: context.header.clientId ?? '',
        clientHost: clientHostOf(context),
      });
      return { ...result, throttleTimeMs: 0 };
    },
  });
}
