/**
 * Authorized-operations bitfields (KIP-430) for Metadata v8+ and DescribeGroups
 * v3+. This broker has no ACLs, so every operation a resource type supports is
 * allowed. Bit `n` is set for the AclOperation with code `n`.
 */

/** AclOperation codes, as in Kafka's `AclOperation`. */
const AclOperation = {
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;

/** The value when the client did not ask for authorized operations. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

const bits = (ops: readonly number[]): number => ops.reduce((acc, op) => acc | (1 << op), 0);

const O = AclOperation;

/** Operations on a topic. */
export const TOPIC_OPERATIONS = bits([
  O.READ,
  O.WRITE,
  O.CREATE,
  O.DELETE,
  O.ALTER,
  O.DESCRIBE,
  O.DESCRIBE_CONFIGS,
  O.ALTER_CONFIGS,
]);

/** Operations on the cluster. */
export const CLUSTER_OPERATIONS = bits([
  O.CREATE,
  O.ALTER,
  O.DESCRIBE,
  O.CLUSTER_ACTION,
  O.DESCRIBE_CONFIGS,
  O.ALTER_CONFIGS,
  O.IDEMPOTENT_WRITE,
  O.CREATE_TOKENS,
  O.DESCRIBE_TOKENS,
]);

/** Operations on a consumer group. */
export const GROUP_OPERATIONS = bits([O.READ, O.DELETE, O.DESCRIBE]);
