import type { BrokerLogger } from '../../broker/broker-services';
import {
  CLUSTER_NAME,
  formatAclRule,
  parseAclRule,
  type AclOperation,
  type AclResourceType,
  type AclRule,
} from './acl-rule';

/** ACLs of the broker (`EmbeddedKafka.start({ acls })`); off by default. */
export interface AclOptions {
  /** The rules: {@link AclRule}s or lines of the ACL file format (see `parseAclRule`). */
  readonly rules: readonly (AclRule | string)[];
  /**
   * Principals allowed everything (Kafka's `super.users`), e.g. `User:admin` for the operator that
   * creates topics.
   */
  readonly superUsers?: readonly string[];
}

/** Operations that imply DESCRIBE (Kafka's `AclAuthorizer`), and the one implying DESCRIBE_CONFIGS. */
const IMPLIES_DESCRIBE: readonly AclOperation[] = ['Read', 'Write', 'Delete', 'Alter'];

/** What a request may do on one resource. */
export interface Authorizer {
  /** Whether ACLs are enforced (false: everything is allowed, the default). */
  readonly enabled: boolean;
  /**
   * Whether `principal` may perform `operation` on the resource `resourceType`/`name`; a denial is
   * logged unless `logIfDenied` is false (listings that silently leave out what is not allowed).
   */
  authorize(
    principal: string,
    operation: AclOperation,
    resourceType: AclResourceType,
    name: string,
    logIfDenied?: boolean,
  ): boolean;
  /**
   * Whether `principal` may perform `operation` on at least one resource of `resourceType`
   * (Kafka's `authorizeByResourceType`: an ALLOW rule for some name not entirely covered by DENY
   * rules). Used for idempotent producers (KIP-679: WRITE on any topic implies IDEMPOTENT_WRITE).
   */
  authorizeAny(principal: string, operation: AclOperation, resourceType: AclResourceType): boolean;
}

/** The authorizer of a broker without ACLs: everything is allowed. */
export const ALLOW_ALL: Authorizer = {
  enabled: false,
  authorize: () => true,
  authorizeAny: () => true,
};

/**
 * Kafka's simple ACL authorizer (`StandardAuthorizer`) over a fixed rule set: a request is allowed
 * when a rule for its principal (or `User:*`) allows its operation (or `All`, or an operation
 * implying it: Read/Write/Delete/Alter imply Describe, AlterConfigs implies DescribeConfigs) on a
 * matching resource (literal name, `*`, or a prefix) and no matching rule denies it. Everything
 * else is denied (`allow.everyone.if.no.acl.found=false`). Super users are allowed everything.
 * Denials are logged at info as Kafka's authorizer logger does.
 */
export class AclAuthorizer implements Authorizer {
  readonly enabled = true;
  private readonly rules: AclRule[];
  private readonly superUsers: ReadonlySet<string>;

  constructor(
    options: AclOptions,
    private readonly logger?: BrokerLogger,
  ) {
    this.rules = options.rules.flatMap((r) => (typeof r === 'string' ? parseAclRule(r) : [r]));
    this.superUsers = new Set(options.superUsers ?? []);
  }

  /** The rules in force, in the file format. */
  describe(): string[] {
    return this.rules.map(formatAclRule);
  }

  /** The rules in force (DescribeAcls). */
  bindings(): readonly AclRule[] {
    return this.rules;
  }

  /** Adds a rule (CreateAcls); a rule already there is not added twice. */
  add(rule: AclRule): void {
    const key = formatAclRule(rule);
    if (!this.rules.some((r) => formatAclRule(r) === key)) this.rules.push(rule);
  }

  authorize(
    principal: string,
    operation: AclOperation,
    resourceType: AclResourceType,
    name: string,
    logIfDenied = true,
  ): boolean {
    if (this.superUsers.has(principal)) return true;
    const matching = this.rules.filter(
      (r) =>
        r.resourceType === resourceType &&
        (r.principal === principal || r.principal === 'User:*') &&
        matchesName(r, name),
    );
    const denied = matching.some(
      (r) => r.permission === 'deny' && (r.operation === operation || r.operation === 'All'),
    );
    const allowed =
      !denied && matching.some((r) => r.permission === 'allow' && grants(r.operation, operation));
    if (!allowed && logIfDenied)
      this.logger?.info(
        `Principal = ${principal} is Denied Operation = ${operation} on resource = ${resourceType}:${name === '' ? '""' : name}`,
      );
    return allowed;
  }

  authorizeAny(principal: string, operation: AclOperation, resourceType: AclResourceType): boolean {
    if (this.superUsers.has(principal)) return true;
    const mine = this.rules.filter(
      (r) => r.resourceType === resourceType && (r.principal === principal || r.principal === 'User:*'),
    );
    const denies = mine.filter(
      (r) => r.permission === 'deny' && (r.operation === operation || r.operation === 'All'),
    );
    // A deny of every resource (`*` or the empty prefix) wins over any allow.
    if (
      denies.some(
        (d) => (d.pattern === 'literal' && d.name === '*') || (d.pattern === 'prefixed' && d.name === ''),
      )
    )
      return false;
    return mine.some(
      (r) => r.permission === 'allow' && grants(r.operation, operation) && !denies.some((d) => covers(d, r)),
    );
  }
}

function matchesName(r: AclRule, name: string): boolean {
  if (r.pattern === 'prefixed') return name.startsWith(r.name);
  return r.name === '*' || r.name === name;
}

/** Whether deny rule `d` denies every resource allow rule `a` names. */
function covers(d: AclRule, a: AclRule): boolean {
  if (d.pattern === 'literal') return d.name === '*' || (a.pattern === 'literal' && a.name === d.name);
  return a.name.startsWith(d.name) && (a.pattern === 'prefixed' || a.name !== '*');
}

/** Whether a rule for `ruleOp` allows `op`. */
function grants(ruleOp: AclOperation, op: AclOperation): boolean {
  if (ruleOp === op || ruleOp === 'All') return true;
  if (op === 'Describe') return IMPLIES_DESCRIBE.includes(ruleOp);
  if (op === 'DescribeConfigs') return ruleOp === 'AlterConfigs';
  return false;
}

export { CLUSTER_NAME };
