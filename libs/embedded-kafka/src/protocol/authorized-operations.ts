import { type AclOperation, OPERATIONS_OF } from '../security/acl/acl-rule';
import { OPERATION_CODE } from '../security/acl/acl-wire-codes';
import { authorize } from './authorize';
import type { RequestContext } from './request-context';

/**
 * Authorized-operations bitfields (KIP-430) for Metadata v8+ and DescribeGroups v3+: bit `n` is
 * set for each operation (AclOperation code `n`) the request's principal may perform on the
 * resource. Without ACLs that is every operation the resource type supports.
 */

/** The value when the client did not ask for authorized operations. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

type ReportedResource = 'Topic' | 'Cluster' | 'Group';

/** Operations KIP-430 reports per resource type (Kafka's `supportedOperations`): the ACL operations of the type but `All`. */
const SUPPORTED: Readonly<Record<ReportedResource, readonly Exclude<AclOperation, 'All'>[]>> = {
  Topic: supportedOf('Topic'),
  Cluster: supportedOf('Cluster'),
  Group: supportedOf('Group'),
};

function supportedOf(resourceType: ReportedResource): Exclude<AclOperation, 'All'>[] {
  return OPERATIONS_OF[resourceType].filter((op): op is Exclude<AclOperation, 'All'> => op !== 'All');
}

/** The bitfield of what the request's principal may do on `resourceType`/`name`. */
export function authorizedOperations(
  ctx: RequestContext,
  resourceType: ReportedResource,
  name: string,
): number {
  return SUPPORTED[resourceType].reduce(
    (acc, op) => (authorize(ctx, op, resourceType, name, false) ? acc | (1 << OPERATION_CODE[op]) : acc),
    0,
  );
}
