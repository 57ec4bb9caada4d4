import * as fs from 'node:fs';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { parseCliArgs } from '../src/cli-args';
import { exited, runCli, spawnCli, tempDir } from './helpers';

describe('CLI authentication flags', () => {
  const dir = tempDir('embedded-mongo-cli-auth-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses --user and --users-file into auth users', () => {
    const file = path.join(dir, 'users.txt');
    fs.writeFileSync(file, '# users\napp:pw:with:colons\n\nreports.analyst:x\n');
    expect(parseCliArgs(['--user', 'ops:ops-pw', '--users-file', file]).options.auth).toEqual({
      users: { ops: 'ops-pw', app: 'pw:with:colons', 'reports.analyst': 'x' },
    });
    expect(parseCliArgs([]).options.auth).toBeUndefined();
    expect(() => parseCliArgs(['--user', 'nopassword'])).toThrow('--user: each user must be name:password');
    expect(() => parseCliArgs(['--users-file', path.join(dir, 'missing')])).toThrow(
      /--users-file: cannot read/,
    );
  });

  it('serves authenticated clients from --users-file and exits 2 on a bad --user, never printing a password', async () => {
    const file = path.join(dir, 'users2.txt');
    fs.writeFileSync(file, 'app:cli-Secret-3\n');
    const cli = await spawnCli(['--port', '0', '--data-dir', path.join(dir, 'data'), '--users-file', file]);
    try {
      const uri = cli.uri.replace('mongodb://', 'mongodb://app:cli-Secret-3@') + '/?authSource=admin';
      const c = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
      await c.db('shop').collection('o').insertOne({ a: 1 });
      await c.close();
      const anonymous = new MongoClient(cli.uri, { serverSelectionTimeoutMS: 3000 });
      await expect(anonymous.db('shop').collection('o').findOne({})).rejects.toMatchObject({ code: 13 });
      await anonymous.close();
    } finally {
      cli.child.kill('SIGTERM');
      await exited(cli.child);
    }
    expect(cli.stdout() + cli.stderr()).not.toContain('cli-Secret-3');
    const bad = await runCli(['--user', 'app']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--user: each user must be name:password/);
  });
});
