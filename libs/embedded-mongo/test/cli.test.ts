import * as fs from 'node:fs';
import * as net from 'node:net';
import { MongoClient } from 'mongodb';
import { CliProcess, exited, runCli, spawnCli, tempDir } from './helpers';

describe('CLI', () => {
  const dirs: string[] = [];
  const children: CliProcess[] = [];

  afterAll(async () => {
    for (const c of children) {
      if (c.child.exitCode === null && c.child.signalCode === null) {
        c.child.kill('SIGKILL');
        await exited(c.child);
      }
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('rejects an unknown flag and a bad value with a message and a non-zero exit', async () => {
    const unknown = await runCli(['--frobnicate', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);
    const badPort = await runCli(['--port', 'abc']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port expects a non-negative integer, got 'abc'/);
    const badFsync = await runCli(['--fsync=sometimes']);
    expect(badFsync.code).toBe(2);
    expect(badFsync.stderr).toMatch(/--fsync must be always, interval or never/);
  });

  it('prints usage with --help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--data-dir <path>/);
  });

  it('exits non-zero with a clear message when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = tempDir();
    dirs.push(dataDir);
    try {
      const res = await runCli(['--port', String(port), '--data-dir', dataDir]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops cleanly on %s and keeps the data', async (signal) => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const cli = await spawnCli(['--port', '0', '--data-dir', dataDir]);
    children.push(cli);
    const client = await MongoClient.connect(cli.uri, { serverSelectionTimeoutMS: 10_000 });
    await client
      .db('d')
      .collection('c')
      .insertOne({ _id: 'kept' as never });
    await client.close();
    cli.child.kill(signal);
    const { code } = await exited(cli.child);
    expect(code).toBe(0);
    expect(cli.stdout()).toMatch(new RegExp(`${signal} received, stopping`));
    const again = await spawnCli(['--port', '0', '--data-dir', dataDir]);
    children.push(again);
    const client2 = await MongoClient.connect(again.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      expect(
        await client2
          .db('d')
          .collection('c')
          .findOne({ _id: 'kept' as never }),
      ).toEqual({ _id: 'kept' });
    } finally {
      await client2.close();
      again.child.kill('SIGTERM');
      await exited(again.child);
    }
  });
});
