import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import { authorize } from '../../authorize';
import type { RequestContext } from '../../request-context';
import type { FindCoordinatorRequest, FindCoordinatorResponse, FindCoordinatorResult } from './types';
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

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

function lookUp(
  coordinator: GroupCoordinator,
  key: string,
  keyType: number,
  context: RequestContext,
): FindCoordinatorResult {
  const fail = (errorCode: number, errorMessage: string | null): FindCoordinatorResult => ({
    key,
    errorCode,
    errorMessage,
    nodeId: -1,
    host: '',
    port: -1,
  });
  if (keyType !== GROUP_KEY && keyType !== TRANSACTION_KEY) {
    return fail(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${keyType}`);
  }
  // As Kafka: DESCRIBE on the group or the transactional id.
  if (keyType === GROUP_KEY && !authorize(context, 'Describe', 'Group', key))
    return fail(ErrorCode.GROUP_AUTHORIZATION_FAILED, null);
  if (keyType === TRANSACTION_KEY && !authorize(context, 'Describe', 'TransactionalId', key))
    return fail(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, null);
  if (!coordinator.isActive)
    return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the group coordinator is not running');
  const node = context.services.node;
  return {
    key,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    nodeId: node.nodeId,
    host: node.host,
    port: node.port,
  };
}

/**
 * FindCoordinator (key 10), versions 0-5 (3+ flexible, 4+ batched keys,
 * KIP-699). This single node coordinates every group (and, for key type 1,
 * every transactional id).
 */
export function findCoordinatorApi(coordinator: GroupCoordinator) {
  return defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
    apiKey: 10,
    name: 'FindCoordinator',
    flexibleFromVersion: 3,
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
      { decode: v3req.decode, encode: v3res.encode },
      { decode: v4req.decode, encode: v4res.encode },
      { decode: v5req.decode, encode: v5res.encode },
    ],
    handle(request, context) {
      const keys = request.coordinatorKeys ?? [request.key];
      const coordinators = keys.map((k) => lookUp(coordinator, k, request.keyType, context));
      const first = coordinators[0] ?? lookUp(coordinator, '', request.keyType, context);
      return {
        throttleTimeMs: 0,
        errorCode: first.errorCode,
        errorMessage: first.errorMessage,
        nodeId: first.nodeId,
        host: first.host,
        port: first.port,
        coordinators,
      };
    },
  });
}
