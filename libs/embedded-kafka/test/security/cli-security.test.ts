import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createTestCertificates } from '../../src/security/test-certificates';
import { tempDir } from '../helpers/broker';
import { exited, runCli, startCliBroker } from '../helpers/cli-broker';

describe('broker CLI security flags', () => {
  const dir = tempDir('ek-cli-sec-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves SASL_SSL from --sasl-users-file and --tls-*-file, and refuses a wrong password', async () => {
    const certs = await createTestCertificates();
    const file = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const broker = await startCliBroker([
      '--port',
      '0',
      '--advertised-host',
      'localhost',
      '--sasl-users-file',
      file('users.txt', '# users\nsvc:svc-secret\nops:ops:with:colons\n'),
      '--tls-cert-file',
      file('server.pem', certs.server.cert),
      '--tls-key-file',
      file('server.key', certs.server.key),
    ]);
    try {
      const kafka = (password: string) =>
        new Kafka({
          brokers: [broker.bootstrap],
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          ssl: { ca: [certs.ca.cert] },
          sasl: { mechanism: 'scram-sha-256', username: 'ops', password },
        }).admin();
      const good = kafka('ops:with:colons');
      await good.connect();
      await good.listTopics();
      await good.disconnect();
      const bad = kafka('nope');
      await expect(bad.connect()).rejects.toThrow(/invalid credentials/);
      await bad.disconnect();
      expect(broker.stderr()).toContain('(SASL_SSL)');
      expect(broker.stderr()).not.toContain('svc-secret');
      expect(broker.stderr()).not.toContain('with:colons');
    } finally {
      broker.process.kill('SIGTERM');
      await exited(broker.process);
    }
  });

  it.each([
    [['--sasl-user', 'nopassword'], /--sasl-user: each user must be name:password/],
    [
      ['--tls-cert-file', '/nonexistent.pem', '--tls-key-file', '/nonexistent.key'],
      /--tls-cert-file: cannot read/,
    ],
  ])('exits 2 on %j naming the flag', async (args, why) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
  });
});
