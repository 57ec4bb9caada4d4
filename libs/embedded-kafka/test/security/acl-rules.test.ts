import { AclRuleError, parseAclRule, parseAclText } from '../../src';
import { AclAuthorizer } from '../../src/security/acl/authorizer';

describe('ACL file format', () => {
  it('parses allow/deny, several operations, literal, prefixed, wildcard and the cluster', () => {
    expect(
      parseAclText(
        '# comment\n\nUser:a Read,Write Topic:orders  # trailing\ndeny User:* Write Topic:tmp-*\nUser:a IdempotentWrite Cluster\nUser:a describe group:*\n',
      ),
    ).toEqual([
      {
        permission: 'allow',
        principal: 'User:a',
        operation: 'Read',
        resourceType: 'Topic',
        name: 'orders',
        pattern: 'literal',
      },
      {
        permission: 'allow',
        principal: 'User:a',
        operation: 'Write',
        resourceType: 'Topic',
        name: 'orders',
        pattern: 'literal',
      },
      {
        permission: 'deny',
        principal: 'User:*',
        operation: 'Write',
        resourceType: 'Topic',
        name: 'tmp-',
        pattern: 'prefixed',
      },
      {
        permission: 'allow',
        principal: 'User:a',
        operation: 'IdempotentWrite',
        resourceType: 'Cluster',
        name: 'kafka-cluster',
        pattern: 'literal',
      },
      {
        permission: 'allow',
        principal: 'User:a',
        operation: 'Describe',
        resourceType: 'Group',
        name: '*',
        pattern: 'literal',
      },
    ]);
  });

  it.each([
    ['a Read Topic:x', /principal must be User:<name>/],
    ['User:a Fly Topic:x', /unknown operation "Fly"/],
    ['User:a Read Table:x', /unknown resource type "Table"/],
    ['User:a Write Group:g', /Write does not apply to Group/],
    ['User:a Read Topic', /Topic needs a name/],
    ['User:a Read', /expected \[allow\|deny\]/],
  ])('refuses "%s" naming the problem', (line, why) => {
    expect(() => parseAclRule(line)).toThrow(AclRuleError);
    expect(() => parseAclRule(line)).toThrow(why);
  });

  it('names the line of a bad rule in a file', () => {
    expect(() => parseAclText('User:a Read Topic:x\nUser:a Jump Topic:y\n')).toThrow(/^line 2: /);
  });
});

describe('AclAuthorizer', () => {
  const authz = new AclAuthorizer({
    rules: [
      'User:a Read Topic:orders',
      'User:a Write Topic:out-*',
      'deny User:a Write Topic:out-secret',
      'User:* Describe Group:*',
      'User:b All Topic:b-*',
      'User:c AlterConfigs Topic:conf',
    ],
    superUsers: ['User:root'],
  });
  const can = (
    p: string,
    op: Parameters<AclAuthorizer['authorize']>[1],
    t: Parameters<AclAuthorizer['authorize']>[2],
    n: string,
  ) => authz.authorize(p, op, t, n, false);

  it('allows what a rule grants, on literal, prefixed and wildcard names, and nothing else', () => {
    expect(can('User:a', 'Read', 'Topic', 'orders')).toBe(true);
    expect(can('User:a', 'Read', 'Topic', 'orders2')).toBe(false);
    expect(can('User:a', 'Write', 'Topic', 'orders')).toBe(false);
    expect(can('User:a', 'Write', 'Topic', 'out-1')).toBe(true);
    expect(can('User:a', 'Read', 'Topic', 'out-1')).toBe(false);
    expect(can('User:z', 'Describe', 'Group', 'any')).toBe(true);
    expect(can('User:z', 'Read', 'Group', 'any')).toBe(false);
    expect(can('User:a', 'Read', 'Group', 'orders')).toBe(false);
  });

  it('lets DENY win, applies implied operations and All, and super users pass', () => {
    expect(can('User:a', 'Write', 'Topic', 'out-secret')).toBe(false);
    // Read/Write imply Describe (a deny of Write does not deny Describe).
    expect(can('User:a', 'Describe', 'Topic', 'orders')).toBe(true);
    expect(can('User:a', 'Describe', 'Topic', 'out-secret')).toBe(true);
    expect(can('User:c', 'DescribeConfigs', 'Topic', 'conf')).toBe(true);
    expect(can('User:c', 'Describe', 'Topic', 'conf')).toBe(false);
    expect(can('User:b', 'Delete', 'Topic', 'b-1')).toBe(true);
    expect(can('User:root', 'Alter', 'Cluster', 'kafka-cluster')).toBe(true);
  });

  it('authorizeAny: an ALLOW for some resource not covered by DENY rules', () => {
    expect(authz.authorizeAny('User:a', 'Write', 'Topic')).toBe(true);
    expect(authz.authorizeAny('User:z', 'Write', 'Topic')).toBe(false);
    const denied = new AclAuthorizer({ rules: ['User:d Write Topic:x', 'deny User:d Write Topic:*'] });
    expect(denied.authorizeAny('User:d', 'Write', 'Topic')).toBe(false);
    const literalDenied = new AclAuthorizer({ rules: ['User:d Write Topic:x', 'deny User:d Write Topic:x'] });
    expect(literalDenied.authorizeAny('User:d', 'Write', 'Topic')).toBe(false);
  });
});
