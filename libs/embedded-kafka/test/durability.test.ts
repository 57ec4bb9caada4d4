import * as fs from 'node:fs';
import * as path from 'node:path';
import { kafkaFor, tempDir } from './helpers/broker';
import { exited, runCli, startCliBroker, type CliBroker } from './helpers/cli-broker';
import { readLines } from './helpers/read-lines';

jest.setTimeout(180000);

describe('durability of the broker process (CLI child, kill -9)', () => {
  const dataDir = tempDir('ek-durability-');
  let running: CliBroker | undefined;

  afterAll(async () => {
    if (running && running.process.exitCode === null) {
      running.process.kill('SIGKILL');
      await exited(running.process);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every record acknowledged with acks=-1 across kill -9, and truncates a torn tail', async () => {
    running = await startCliBroker(['--port', '0', '--data-dir', dataDir, '--quiet']);
    const kafka = kafkaFor(running.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const acked: string[] = [];
    for (let i = 0; i < 30; i++) {
      const messages = Array.from({ length: 10 }, (_, j) => ({ key: `k${i}-${j}`, value: `v${i}-${j}` }));
      await producer.send({ topic: 'durable', acks: -1, messages });
      acked.push(...messages.map((m) => `${m.key}=${m.value}`));
    }
    await producer.disconnect();
    running.process.kill('SIGKILL');
    expect((await exited(running.process)).signal).toBe('SIGKILL');

    // A torn batch at the tail of partition 0's segment: a header with no body.
    const segment = path.join(dataDir, 'durable-0', '00000000000000000000.log');
    const before = fs.statSync(segment).size;
    fs.appendFileSync(segment, Buffer.from([0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1, 2, 3]));

    running = await startCliBroker(['--port', '0', '--data-dir', dataDir]);
    expect(fs.statSync(segment).size).toBe(before);
    expect(running.stderr()).toMatch(/truncated 20 bytes of a torn or corrupt tail/);
    const got = await readLines(running.bootstrap, 'durable');
    expect(got.sort()).toEqual([...acked].sort());

    // Offsets continue after the recovered tail.
    const producer2 = kafkaFor(running.bootstrap).producer();
    await producer2.connect();
    const [res] = await producer2.send({
      topic: 'durable',
      acks: -1,
      messages: [{ partition: 0, key: 'after', value: 'restart' }],
    });
    await producer2.disconnect();
    const endBefore = got.length;
    expect(Number(res!.baseOffset)).toBeGreaterThan(0);
    expect((await readLines(running.bootstrap, 'durable')).length).toBe(endBefore + 1);

    running.process.kill('SIGTERM');
    expect((await exited(running.process)).code).toBe(0);
  });

  it('exits non-zero with a clear message on a bad flag or a port in use', async () => {
    const bad = await runCli(['--port', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a non-negative integer, got "abc"/);
    const unknown = await runCli(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/frobnicate/);
    const first = await startCliBroker(['--port', '0', '--quiet']);
    try {
      const port = first.bootstrap.split(':')[1]!;
      const clash = await runCli(['--port', port, '--quiet']);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    } finally {
      first.process.kill('SIGTERM');
      await exited(first.process);
    }
  });
});
