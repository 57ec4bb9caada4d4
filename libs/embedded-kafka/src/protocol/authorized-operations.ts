import type { AclOperation, AclResourceType } from '../security/acl/acl-rule';
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

/** Operations KIP-430 reports per resource type (Kafka's `supportedOperations`). */
const SUPPORTED: Readonly<Record<'Topic' | 'Cluster' | 'Group', readonly Exclude<AclOperation, 'All'>[]>> = {
  Topic: ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'DescribeConfigs', 'AlterConfigs'],
  Cluster: [
    'Create',
    'Alter',
    'Describe',
    'ClusterAction',
    'DescribeConfigs',
    'AlterConfigs',
    'IdempotentWrite',
    'CreateTokens',
    'DescribeTokens',
  ],
  Group: ['Read', 'Delete', 'Describe'],
};

/** The bitfield of what the request's principal may do on `resourceType`/`name`. */
export function authorizedOperations(
  ctx: RequestContext,
  resourceType: 'Topic' | 'Cluster' | 'Group',
  name: string,
): number {
  return SUPPORTED[resourceType].reduce(
    (acc, op) =>
      authorize(ctx, op, resourceType as AclResourceType, name, false)
        ? acc | (1 << OPERATION_CODE[op])
        : acc,
    0,
  );
}
