import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { tempDir } from '../helpers/broker';
import { exited, runCli, startCliBroker } from '../helpers/cli-broker';

describe('broker CLI ACL flags', () => {
  const dir = tempDir('ek-cli-acl-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it('enforces --acl-file, --acl and --super-user', async () => {
    const broker = await startCliBroker([
      '--port',
      '0',
      '--sasl-users-file',
      file('users.txt', 'admin:admin-pw\napp:app-pw\n'),
      '--acl-file',
      file('acls.txt', '# the app may write orders\nUser:app Write Topic:orders\n'),
      '--acl',
      'User:app Create Topic:app-*',
      '--super-user',
      'User:admin',
    ]);
    try {
      const admin = (user: string, password: string) =>
        new Kafka({
          brokers: [broker.bootstrap],
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          sasl: { mechanism: 'plain', username: user, password },
        }).admin();
      const root = admin('admin', 'admin-pw');
      await root.connect();
      await root.createTopics({ topics: [{ topic: 'orders' }, { topic: 'secret' }] });
      await root.disconnect();
      const app = admin('app', 'app-pw');
      await app.connect();
      expect(await app.listTopics()).toEqual(['orders']);
      // CREATE alone does not imply DESCRIBE (kafkajs would wait for the new topic's leader).
      await app.createTopics({ topics: [{ topic: 'app-1' }], waitForLeaders: false });
      await expect(
        app.createTopics({ topics: [{ topic: 'other' }], waitForLeaders: false }),
      ).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'TOPIC_AUTHORIZATION_FAILED' })],
      });
      await app.disconnect();
      expect(broker.stderr()).toContain('ACLs: 2 rules');
    } finally {
      broker.process.kill('SIGTERM');
      await exited(broker.process);
    }
  });

  it.each([
    [['--acl', 'User:app Jump Topic:x'], /--acl: ACL "User:app Jump Topic:x": unknown operation "Jump"/],
    [['--acl-file', 'ACLFILE'], /--acl-file .*: line 2: ACL "User:app Read Group": Group needs a name/],
    [['--super-user', 'admin'], /--super-user must be User:<name>, got "admin"/],
  ])('exits 2 on %j naming the flag and the rule', async (args, why) => {
    const bad = file('bad-acls.txt', 'User:app Read Topic:x\nUser:app Read Group\n');
    const r = await runCli(args.map((a) => (a === 'ACLFILE' ? bad : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
  });
});
