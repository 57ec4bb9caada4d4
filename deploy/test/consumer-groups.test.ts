/**
 * `npm run consumer-groups` against the embedded broker: `--list` and `--describe --group` print
 * what the broker holds (committed offsets, end offsets, members), in kafka-consumer-groups.sh's
 * columns.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import {
  committedOffsets,
  createTopics,
  produce as produceRecords,
  startBroker,
  waitFor,
} from '@gmart/test-support';
import type { Consumer, Kafka } from 'kafkajs';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(__dirname, '..', 'src', 'cli', 'consumer-groups.ts');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@gmart/source', '-r', '@swc-node/register', CLI, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The table lines of a --describe output as objects keyed by column header. */
function rowsOf(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').filter((l) => l.trim().length > 0);
  const headerAt = lines.findIndex((l) => l.startsWith('GROUP '));
  const header = lines[headerAt]!.split(/\s+/);
  return lines
    .slice(headerAt + 1)
    .map((l) => Object.fromEntries(l.split(/\s+/).map((v, i) => [header[i], v])));
}

describe('consumer-groups CLI', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    ({ broker, kafka } = await startBroker({ clientId: 'cg-test' }));
    await createTopics(kafka, [{ topic: 'ticket-reception', numPartitions: 3 }]);
  });

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await broker?.stop();
  });

  async function produce(n: number, from: number): Promise<void> {
    await produceRecords(
      kafka,
      'ticket-reception',
      Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `ticket ${from + i}` })),
    );
  }

  async function brokerView(): Promise<Map<number, { committed: number; end: number }>> {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets('ticket-reception');
    await admin.disconnect();
    const committed = await committedOffsets(kafka, 'ticket-reception-subscriber', 'ticket-reception');
    return new Map(
      ends.map((e) => [e.partition, { end: Number(e.high), committed: committed.get(e.partition)! }]),
    );
  }

  it('lists the groups and describes an active one: committed = end offsets, each partition with its member', async () => {
    await produce(120, 0);
    consumer = kafka.consumer({ groupId: 'ticket-reception-subscriber' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'ticket-reception', fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitInterval: 100, eachMessage: async () => void seen++ });
    let view = await brokerView();
    await waitFor(
      async () => {
        view = await brokerView();
        return [...view.values()].every((v) => v.committed === v.end);
      },
      60_000,
      'the group to commit up to the end offsets',
      300,
    );
    expect(seen).toBe(120);

    const list = await run(['--bootstrap-server', broker.bootstrapServers, '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toContain('ticket-reception-subscriber');

    const d = await run([
      '--bootstrap-server',
      broker.bootstrapServers,
      '--describe',
      '--group',
      'ticket-reception-subscriber',
    ]);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(d.stdout).not.toMatch(/no active members/);
    expect(
      d.stdout
        .split('\n')
        .find((l) => l.startsWith('GROUP'))!
        .split(/\s+/),
    ).toEqual([
      'GROUP',
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ]);
    const rows = rowsOf(d.stdout);
    expect(rows.map((r) => Number(r.PARTITION))).toEqual([0, 1, 2]);
    for (const r of rows) {
      const b = view.get(Number(r.PARTITION))!;
      expect(r).toMatchObject({
        GROUP: 'ticket-reception-subscriber',
        TOPIC: 'ticket-reception',
        'CURRENT-OFFSET': String(b.committed),
        'LOG-END-OFFSET': String(b.end),
        LAG: '0',
        'CLIENT-ID': 'cg-test',
      });
      expect(r['CONSUMER-ID']).toMatch(/^cg-test-/);
      expect(r.HOST).toMatch(/^\/.+/);
    }
    expect(rows.reduce((s, r) => s + Number(r['LOG-END-OFFSET']), 0)).toBe(120);
  });

  it('shows the lag of a group without members, as the broker holds it', async () => {
    await consumer!.disconnect();
    consumer = undefined;
    await produce(45, 120);
    const view = await brokerView();
    const d = await run([
      '--bootstrap-server',
      broker.bootstrapServers,
      '--describe',
      '--group',
      'ticket-reception-subscriber',
    ]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^Consumer group 'ticket-reception-subscriber' has no active members\./);
    const rows = rowsOf(d.stdout);
    let lag = 0;
    for (const r of rows) {
      const b = view.get(Number(r.PARTITION))!;
      expect([
        r['CURRENT-OFFSET'],
        r['LOG-END-OFFSET'],
        r.LAG,
        r['CONSUMER-ID'],
        r.HOST,
        r['CLIENT-ID'],
      ]).toEqual([String(b.committed), String(b.end), String(b.end - b.committed), '-', '-', '-']);
      lag += Number(r.LAG);
    }
    expect(lag).toBe(45);
  });

  it('fails clearly on an unknown group and on bad usage', async () => {
    const unknown = await run([
      '--bootstrap-server',
      broker.bootstrapServers,
      '--describe',
      '--group',
      'nobody',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Consumer group 'nobody' does not exist/);
    const bad = await run(['--list']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--bootstrap-server is required/);
    const both = await run(['--bootstrap-server', broker.bootstrapServers, '--list', '--describe']);
    expect(both.code).toBe(2);
  });
});
