import type { AclOperation, AclResourceType } from '../security/acl/acl-rule';
import type { RequestContext } from './request-context';

/**
 * Whether the request's principal may perform `operation` on `resourceType`/`name` (always true
 * when the broker has no ACLs). A denial is logged unless `logIfDenied` is false.
 */
export function authorize(
  ctx: RequestContext,
  operation: AclOperation,
  resourceType: AclResourceType,
  name: string,
  logIfDenied = true,
): boolean {
  return ctx.services.authorizer.authorize(
    ctx.connection.auth.principal,
    operation,
    resourceType,
    name,
    logIfDenied,
  );
}

/** Whether the principal may create topic `name`: CREATE on the cluster or on the topic, as Kafka. */
export function mayCreateTopic(ctx: RequestContext, name: string, logIfDenied = true): boolean {
  return (
    authorize(ctx, 'Create', 'Cluster', 'kafka-cluster', false) ||
    authorize(ctx, 'Create', 'Topic', name, logIfDenied)
  );
}
