/**
 * `npm run consumer-groups` against the embedded broker: `--list` and `--describe --group` print
 * what the broker holds (committed offsets, end offsets, members), in kafka-consumer-groups.sh's
 * columns.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

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
    broker = await EmbeddedKafka.start({ port: 0, groupInitialRebalanceDelayMs: 0 });
    kafka = new Kafka({
      clientId: 'cg-test',
      brokers: [broker.bootstrapServers],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'ticket-reception', numPartitions: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await broker?.stop();
  });

  async function produce(n: number, from: number): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'ticket-reception',
      acks: -1,
      messages: Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `ticket ${from + i}` })),
    });
    await producer.disconnect();
  }

  async function brokerView(): Promise<Map<number, { committed: number; end: number }>> {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets('ticket-reception');
    const [committed] = await admin.fetchOffsets({
      groupId: 'ticket-reception-subscriber',
      topics: ['ticket-reception'],
    });
    await admin.disconnect();
    return new Map(
      ends.map((e) => [
        e.partition,
        {
          end: Number(e.high),
          committed: Number(committed!.partitions.find((p) => p.partition === e.partition)!.offset),
        },
      ]),
    );
  }

  it('lists the groups and describes an active one: committed = end offsets, each partition with its member', async () => {
    await produce(120, 0);
    consumer = kafka.consumer({ groupId: 'ticket-reception-subscriber' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'ticket-reception', fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitInterval: 100, eachMessage: async () => void seen++ });
    const deadline = Date.now() + 60_000;
    let view = await brokerView();
    while (Date.now() < deadline && [...view.values()].some((v) => v.committed !== v.end)) {
      await new Promise((r) => setTimeout(r, 300));
      view = await brokerView();
    }
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
