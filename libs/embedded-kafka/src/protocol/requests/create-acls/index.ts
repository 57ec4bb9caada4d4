import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import type { RequestContext } from '../../request-context';
import { AclAuthorizer } from '../../../security/acl/authorizer';
import { formatAclRule, parseAclRule } from '../../../security/acl/acl-rule';
import {
  OPERATION_CODE,
  PATTERN_CODE,
  PERMISSION_CODE,
  RESOURCE_TYPE_CODE,
  nameOf,
} from '../../../security/acl/acl-wire-codes';
import type { AclCreation, CreateAclsRequest, CreateAclsResponse } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';

/** Adds one binding; the result's error names what is wrong with it. */
function create(c: AclCreation, authorizer: AclAuthorizer, ctx: RequestContext) {
  const invalid = (why: string) => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: why });
  const resourceType = nameOf(RESOURCE_TYPE_CODE, c.resourceType);
  const operation = nameOf(OPERATION_CODE, c.operation);
  const pattern = nameOf(PATTERN_CODE, c.patternType);
  const permission = nameOf(PERMISSION_CODE, c.permissionType);
  if (!resourceType) return invalid(`unsupported resource type ${c.resourceType}`);
  if (!operation) return invalid(`unsupported operation ${c.operation}`);
  if (pattern !== 'literal' && pattern !== 'prefixed')
    return invalid(`invalid pattern type ${c.patternType}`);
  if (permission !== 'allow' && permission !== 'deny')
    return invalid(`invalid permission type ${c.permissionType}`);
  if (c.host !== '*') return invalid('only host * is supported by the embedded broker');
  const name = resourceType === 'Cluster' ? '' : `:${c.resourceName}${pattern === 'prefixed' ? '*' : ''}`;
  try {
    // Through the file format, so a binding is validated exactly as a rule of --acl-file.
    const [rule] = parseAclRule(`${permission} ${c.principal} ${operation} ${resourceType}${name}`);
    authorizer.add(rule!);
    ctx.services.logger.info(`ACL added by ${ctx.connection.auth.principal}: ${formatAclRule(rule!)}`);
    return { errorCode: 0, errorMessage: null };
  } catch (err) {
    return invalid((err as Error).message);
  }
}

function handle(req: CreateAclsRequest, ctx: RequestContext): CreateAclsResponse {
  const authorizer = ctx.services.authorizer;
  const all = (errorCode: number, errorMessage: string): CreateAclsResponse => ({
    throttleTimeMs: 0,
    results: req.creations.map(() => ({ errorCode, errorMessage })),
  });
  if (!(authorizer instanceof AclAuthorizer))
    return all(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured.');
  if (!authorize(ctx, 'Alter', 'Cluster', 'kafka-cluster'))
    return all(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  return { throttleTimeMs: 0, results: req.creations.map((c) => create(c, authorizer, ctx)) };
}

/**
 * CreateAcls (key 30), versions 0-1: adds ACL rules to the running broker (kept in memory, not
 * across a restart). Needs ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED); without ACLs,
 * SECURITY_DISABLED, as Kafka. Each binding is validated as a rule of the ACL file (host `*` only).
 */
export const createAclsApi = defineApi<CreateAclsRequest, CreateAclsResponse>({
  apiKey: 30,
  name: 'CreateAcls',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
  ],
  handle,
});
