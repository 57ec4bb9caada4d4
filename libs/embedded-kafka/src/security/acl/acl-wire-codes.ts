import type { AclOperation, AclResourceType } from './acl-rule';

/** Kafka's `ResourceType` codes (DescribeAcls/CreateAcls wire). */
export const RESOURCE_TYPE_CODE: Readonly<Record<AclResourceType, number>> = {
  Topic: 2,
  Group: 3,
  Cluster: 4,
  TransactionalId: 5,
};
/** `ANY` in a filter. */
export const ANY = 1;

/** Kafka's `AclOperation` codes. */
export const OPERATION_CODE: Readonly<Record<AclOperation, number>> = {
  All: 2,
  Read: 3,
  Write: 4,
  Create: 5,
  Delete: 6,
  Alter: 7,
  Describe: 8,
  ClusterAction: 9,
  DescribeConfigs: 10,
  AlterConfigs: 11,
  IdempotentWrite: 12,
  CreateTokens: 13,
  DescribeTokens: 14,
};

/** Kafka's `PatternType` codes. */
export const PATTERN_CODE = { any: 1, match: 2, literal: 3, prefixed: 4 } as const;

/** Kafka's `AclPermissionType` codes. */
export const PERMISSION_CODE = { any: 1, deny: 2, allow: 3 } as const;

/** The key of `code` in `table`, if any. */
export function nameOf<K extends string>(table: Readonly<Record<K, number>>, code: number): K | undefined {
  return (Object.keys(table) as K[]).find((k) => table[k] === code);
}
