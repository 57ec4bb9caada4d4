/**
 * Third-party clients in consumer groups: Debian's kcat (librdkafka) in
 * balanced-group mode and python3-confluent-kafka, against the embedded broker.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { AssignerProtocol, type Admin } from 'kafkajs';
import type { EmbeddedKafka } from '../../src';
import { kafkaClient, startBroker, waitFor } from './support/broker';

const run = promisify(execFile);

describe('consumer groups with librdkafka clients', () => {
  let broker: EmbeddedKafka;
  let admin: Admin;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    broker = await startBroker();
    admin = kafkaClient(broker.bootstrapServers).admin();
    await admin.connect();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await admin.disconnect();
    await broker.stop();
  });

  it('two `kcat -G` members share the partitions of what kafkajs produced and commit on exit', async () => {
    const topic = 'kcat-group-topic';
    const group = 'kcat-group';
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const producer = kafkaClient(broker.bootstrapServers).producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 200 }, (_, i) => ({ partition: i % 4, value: `r${i}` })),
    });
    await producer.disconnect();

    const seen = new Map<string, Set<string>>();
    const startKcat = (name: string): ChildProcess => {
      const child = spawn(
        'kcat',
        [
          '-b',
          broker.bootstrapServers,
          '-G',
          group,
          topic,
          '-q',
          '-u',
          '-f',
          '%p %o %s\\n',
          '-X',
          'auto.offset.reset=earliest',
          '-X',
          'session.timeout.ms=10000',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      const lines = new Set<string>();
      seen.set(name, lines);
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        for (const line of parts) if (line.trim()) lines.add(line.trim());
      });
      return child;
    };
    const a = startKcat('a');
    const b = startKcat('b');
    const union = () => new Set([...seen.values()].flatMap((s) => [...s].map((l) => l.split(' ')[2])));
    await waitFor(() => union().size === 200, 60_000, 'kcat to consume all 200 records');

    await waitFor(
      async () => {
        const g = (await admin.describeGroups([group])).groups[0]!;
        return g.state === 'Stable' && g.members.length === 2;
      },
      60_000,
      'a stable group of two kcat members',
    );
    const described = (await admin.describeGroups([group])).groups[0]!;
    expect(described.protocolType).toBe('consumer');
    const owned = described.members.map(
      (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment[topic] ?? [],
    );
    expect(owned.every((p) => p.length > 0)).toBe(true);
    expect(owned.flat().sort()).toEqual([0, 1, 2, 3]);
    // Every record arrived with its partition and offset as kafkajs wrote them.
    for (const lines of seen.values()) {
      for (const line of lines) {
        const [partition, offset, value] = line.split(' ');
        const i = Number(value!.slice(1));
        expect(Number(partition)).toBe(i % 4);
        expect(Number(offset)).toBe(Math.floor(i / 4));
      }
    }

    const exited = (c: ChildProcess) =>
      new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', () => resolve())));
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    await Promise.all([exited(a), exited(b)]);
    await waitFor(
      async () => (await admin.describeGroups([group])).groups[0]!.state === 'Empty',
      30_000,
      'the group to empty',
    );
    const committed = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions;
    expect(committed.map((p) => p.offset)).toEqual(['50', '50', '50', '50']);
  });

  it('python3-confluent-kafka produces, consumes in a group, commits and reads the commit back', async () => {
    const topic = 'python-group-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const script = path.join(__dirname, 'support', 'confluent_round_trip.py');
    const { stdout } = await run(
      '/usr/bin/python3',
      [script, broker.bootstrapServers, topic, 'python-group', '30'],
      { timeout: 90_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      values: string[];
      assignment: number[];
      committed: Record<string, number>;
      errors: string[];
    };
    expect(result.errors).toEqual([]);
    expect([...result.values].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `py-${i}`).sort());
    expect(result.assignment).toEqual([0, 1, 2]);
    const ends = await admin.fetchTopicOffsets(topic);
    for (const p of ends) expect(result.committed[String(p.partition)]).toBe(Number(p.high));
    // kafkajs sees the same committed offsets.
    const viaKafkajs = (await admin.fetchOffsets({ groupId: 'python-group', topics: [topic] }))[0]!
      .partitions;
    expect(viaKafkajs.map((p) => [p.partition, Number(p.offset)]).sort()).toEqual(
      ends.map((p) => [p.partition, Number(p.high)]).sort(),
    );
  });
});
