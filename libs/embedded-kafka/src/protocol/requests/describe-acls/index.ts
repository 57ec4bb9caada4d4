import { defineApi } from '../../api-definition';
import { authorize } from '../../authorize';
import { ErrorCode } from '../../error-codes';
import { AclAuthorizer } from '../../../security/acl/authorizer';
import type { AclRule } from '../../../security/acl/acl-rule';
import {
  ANY,
  OPERATION_CODE,
  PATTERN_CODE,
  PERMISSION_CODE,
  RESOURCE_TYPE_CODE,
} from '../../../security/acl/acl-wire-codes';
import type { DescribeAclsRequest, DescribeAclsResponse, DescribedAcl } from './types';
import * as v0q from './v0/request';
import * as v0r from './v0/response';
import * as v1q from './v1/request';
import * as v1r from './v1/response';

/** Whether `rule` matches the filter (Kafka's `AclBindingFilter.matches`). */
function matches(f: DescribeAclsRequest, r: AclRule): boolean {
  if (f.resourceType !== ANY && f.resourceType !== RESOURCE_TYPE_CODE[r.resourceType]) return false;
  if (f.principal !== null && f.principal !== r.principal) return false;
  if (f.host !== null && f.host !== '*') return false;
  if (f.operation !== ANY && f.operation !== OPERATION_CODE[r.operation]) return false;
  if (f.permissionType !== ANY && f.permissionType !== PERMISSION_CODE[r.permission]) return false;
  const pattern = PATTERN_CODE[r.pattern];
  if (f.patternType === PATTERN_CODE.match) {
    // MATCH: the rules that apply to the named resource (literal name, `*`, or a prefix of it).
    if (f.resourceName === null) return true;
    return r.pattern === 'prefixed'
      ? f.resourceName.startsWith(r.name)
      : r.name === f.resourceName || r.name === '*';
  }
  if (f.patternType !== ANY && f.patternType !== pattern) return false;
  return f.resourceName === null || f.resourceName === r.name;
}

function handle(req: DescribeAclsRequest, ctx: Parameters<typeof authorize>[0]): DescribeAclsResponse {
  const refuse = (errorCode: number, errorMessage: string): DescribeAclsResponse => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    resources: [],
  });
  const authorizer = ctx.services.authorizer;
  if (!(authorizer instanceof AclAuthorizer))
    return refuse(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured.');
  if (!authorize(ctx, 'Describe', 'Cluster', 'kafka-cluster'))
    return refuse(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  const byResource = new Map<
    string,
    { resourceType: number; resourceName: string; patternType: number; acls: DescribedAcl[] }
  >();
  for (const r of authorizer.bindings()) {
    if (!matches(req, r)) continue;
    const key = `${r.resourceType}\u0000${r.pattern}\u0000${r.name}`;
    let entry = byResource.get(key);
    if (!entry) {
      entry = {
        resourceType: RESOURCE_TYPE_CODE[r.resourceType],
        resourceName: r.name,
        patternType: PATTERN_CODE[r.pattern],
        acls: [],
      };
      byResource.set(key, entry);
    }
    entry.acls.push({
      principal: r.principal,
      host: '*',
      operation: OPERATION_CODE[r.operation],
      permissionType: PERMISSION_CODE[r.permission],
    });
  }
  return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, resources: [...byResource.values()] };
}

/**
 * DescribeAcls (key 29), versions 0-1: the broker's ACL rules matching a filter (resource type,
 * name, pattern type incl. MATCH, principal, host, operation, permission). Needs DESCRIBE on the
 * cluster (else CLUSTER_AUTHORIZATION_FAILED); without ACLs, SECURITY_DISABLED, as Kafka.
 */
export const describeAclsApi = defineApi<DescribeAclsRequest, DescribeAclsResponse>({
  apiKey: 29,
  name: 'DescribeAcls',
  versions: [
    { decode: v0q.decode, encode: v0r.encode },
    { decode: v1q.decode, encode: v1r.encode },
  ],
  handle,
});
