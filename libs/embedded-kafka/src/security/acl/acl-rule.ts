/** Resource types an ACL can name, as Kafka's `ResourceType`. */
export const ACL_RESOURCE_TYPES = ['Topic', 'Group', 'Cluster', 'TransactionalId'] as const;
/** A resource type. */
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];

/** Operations, as Kafka's `AclOperation` names them in `kafka-acls --operation`. */
export const ACL_OPERATIONS = [
  'All',
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'DescribeConfigs',
  'AlterConfigs',
  'IdempotentWrite',
  'CreateTokens',
  'DescribeTokens',
] as const;
/** An operation. */
export type AclOperation = (typeof ACL_OPERATIONS)[number];

/** Operations each resource type supports (as Kafka validates ACL bindings). */
export const OPERATIONS_OF: Readonly<Record<AclResourceType, readonly AclOperation[]>> = {
  Topic: ['All', 'Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'DescribeConfigs', 'AlterConfigs'],
  Group: ['All', 'Read', 'Delete', 'Describe'],
  Cluster: [
    'All',
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
  TransactionalId: ['All', 'Write', 'Describe'],
};

/** The name of the cluster resource, as in Kafka. */
export const CLUSTER_NAME = 'kafka-cluster';

/**
 * One ACL binding: `permission` of `principal` to perform `operation` on the resources of
 * `resourceType` named `name` (`pattern` `literal`: exactly that name, `*` = every resource of the
 * type; `prefixed`: every name starting with it), as Kafka's `AclBinding` with host `*`.
 */
export interface AclRule {
  readonly permission: 'allow' | 'deny';
  /** `User:<name>`, or `User:*` for every principal. */
  readonly principal: string;
  readonly operation: AclOperation;
  readonly resourceType: AclResourceType;
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
}

/** A rule that does not parse or does not make sense; the message names the rule and the problem. */
export class AclRuleError extends Error {
  override readonly name = 'AclRuleError';
}

const lower = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
const OPERATION_BY_KEY = new Map(ACL_OPERATIONS.map((o) => [lower(o), o]));
const RESOURCE_BY_KEY = new Map(ACL_RESOURCE_TYPES.map((r) => [lower(r), r]));

/**
 * Parses one rule of the ACL file format:
 * `[allow|deny] User:<name> <Operation>[,<Operation>...] <ResourceType>[:<name>]` where a name
 * ending in `*` is a prefix (`Topic:gmart-masking-*`), `*` alone means every resource of the type,
 * and `Cluster` needs no name. Operations and resource types are case-insensitive
 * (`IdempotentWrite`, `idempotent-write`, `IDEMPOTENT_WRITE`). Returns one rule per operation.
 */
export function parseAclRule(line: string): AclRule[] {
  const words = line.trim().split(/\s+/);
  let permission: 'allow' | 'deny' = 'allow';
  if (words[0] !== undefined && /^(allow|deny)$/i.test(words[0]))
    permission = words.shift()!.toLowerCase() as 'allow' | 'deny';
  if (words.length !== 3)
    throw new AclRuleError(
      `ACL "${line.trim()}": expected [allow|deny] User:<name> <Operation>[,...] <ResourceType>[:<name>]`,
    );
  const [principal, operations, resource] = words as [string, string, string];
  if (!/^User:.+$/.test(principal))
    throw new AclRuleError(
      `ACL "${line.trim()}": the principal must be User:<name> or User:*, got "${principal}"`,
    );
  const colon = resource.indexOf(':');
  const typeWord = colon < 0 ? resource : resource.slice(0, colon);
  const resourceType = RESOURCE_BY_KEY.get(lower(typeWord));
  if (!resourceType)
    throw new AclRuleError(
      `ACL "${line.trim()}": unknown resource type "${typeWord}" (one of ${ACL_RESOURCE_TYPES.join(', ')})`,
    );
  let name = colon < 0 ? '' : resource.slice(colon + 1);
  if (resourceType === 'Cluster') {
    if (name !== '' && name !== CLUSTER_NAME)
      throw new AclRuleError(
        `ACL "${line.trim()}": the cluster resource is Cluster or Cluster:${CLUSTER_NAME}`,
      );
    name = CLUSTER_NAME;
  } else if (name === '') {
    throw new AclRuleError(`ACL "${line.trim()}": ${resourceType} needs a name (${resourceType}:<name>)`);
  }
  const pattern = name.length > 1 && name.endsWith('*') ? 'prefixed' : 'literal';
  if (pattern === 'prefixed') name = name.slice(0, -1);
  return operations.split(',').map((word) => {
    const operation = OPERATION_BY_KEY.get(lower(word));
    if (!operation)
      throw new AclRuleError(
        `ACL "${line.trim()}": unknown operation "${word}" (one of ${ACL_OPERATIONS.join(', ')})`,
      );
    if (!OPERATIONS_OF[resourceType].includes(operation))
      throw new AclRuleError(
        `ACL "${line.trim()}": ${operation} does not apply to ${resourceType} (${OPERATIONS_OF[resourceType].join(', ')})`,
      );
    return { permission, principal, operation, resourceType, name, pattern };
  });
}

/** Parses the ACL file format: one rule per line (see {@link parseAclRule}), `#` comments, blank lines. */
export function parseAclText(text: string): AclRule[] {
  const rules: AclRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line.length === 0) return;
    try {
      rules.push(...parseAclRule(line));
    } catch (err) {
      throw new AclRuleError(`line ${i + 1}: ${(err as Error).message}`);
    }
  });
  return rules;
}

/** A rule written back in the file format (for logs and DescribeAcls-like listings). */
export function formatAclRule(r: AclRule): string {
  const resource =
    r.resourceType === 'Cluster'
      ? 'Cluster'
      : `${r.resourceType}:${r.name}${r.pattern === 'prefixed' ? '*' : ''}`;
  return `${r.permission} ${r.principal} ${r.operation} ${resource}`;
}
