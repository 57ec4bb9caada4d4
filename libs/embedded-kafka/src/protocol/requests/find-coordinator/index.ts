import { defineApi } from '../../api-definition';
import { ErrorCode } from '../../error-codes';
import type { GroupCoordinator } from '../../../coordinator/group-coordinator';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types';
import * as v0req from './v0/request';
import * as v0res from './v0/response';
import * as v1req from './v1/request';
import * as v1res from './v1/response';
import * as v2req from './v2/request';
import * as v2res from './v2/response';

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

/**
 * FindCoordinator (key 10), versions 0-2. This single node coordinates every
 * group (and, for key type 1, every transactional id).
 */
export function findCoordinatorApi(coordinator: GroupCoordinator) {
  return defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
    apiKey: 10,
    name: 'FindCoordinator',
    versions: [
      { decode: v0req.decode, encode: v0res.encode },
      { decode: v1req.decode, encode: v1res.encode },
      { decode: v2req.decode, encode: v2res.encode },
    ],
    handle(request, context) {
      const fail = (errorCode: number, errorMessage: string): FindCoordinatorResponse => ({
        throttleTimeMs: 0,
        errorCode,
        errorMessage,
        nodeId: -1,
        host: '',
        port: -1,
      });
      if (request.keyType !== GROUP_KEY && request.keyType !== TRANSACTION_KEY) {
        return fail(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${request.keyType}`);
      }
      if (!coordinator.isActive)
        return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the group coordinator is not running');
      const node = context.services.node;
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        nodeId: node.nodeId,
        host: node.host,
        port: node.port,
      };
    },
  });
}
