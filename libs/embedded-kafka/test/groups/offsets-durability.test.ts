/**
 * Committed offsets survive `kill -9` of the broker process (the CLI, spawned
 * as a child) and a torn write at the tail of the offsets log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Consumer } from 'kafkajs';
import { OFFSETS_DIR } from '../../src/coordinator';
import { type BrokerProcess, spawnBrokerProcess } from '../../src/process';

/** The CLI on any free port with `args`. */
const spawnBroker = (args: string[]): Promise<BrokerProcess> => spawnBrokerProcess(['--port', '0', ...args]);
import { kafkaClient, tempDir, waitFor } from './support/broker';

const TOPIC = 'durable-orders';
const GROUP = 'durable-group';

describe('committed offsets across kill -9', () => {
  const dataDir = tempDir('groups-durability-');
  const brokers: BrokerProcess[] = [];
  const consumers: Consumer[] = [];

  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    for (const b of brokers)
      if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function consume(
    bootstrap: string,
    expected: number,
    fromBeginning: boolean,
  ): Promise<{ consumer: Consumer; values: string[]; lastOffsets: Map<number, number> }> {
    const consumer = kafkaClient(bootstrap).consumer({
      groupId: GROUP,
      sessionTimeout: 10_000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning });
    const values: string[] = [];
    const lastOffsets = new Map<number, number>();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        values.push(message.value!.toString());
        lastOffsets.set(partition, Number(message.offset));
      },
    });
    await waitFor(() => values.length >= expected, 30_000, `${expected} records`);
    return { consumer, values, lastOffsets };
  }

  it('keeps every acknowledged commit and resumes the group from it', async () => {
    const first = await spawnBroker([
      '--data-dir',
      dataDir,
      '--group-initial-rebalance-delay-ms',
      '0',
      '--quiet',
    ]);
    brokers.push(first);
    const kafka = kafkaClient(first.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, value: `a${i}` })),
    });

    const { consumer } = await consume(first.bootstrapServers, 30, true);
    await waitFor(
      async () =>
        (await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions.every(
          (p) => p.offset === '10',
        ),
      30_000,
      'commits at offset 10',
    );
    await consumer.disconnect();
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: Array.from({ length: 15 }, (_, i) => ({ partition: i % 3, value: `b${i}` })),
    });
    await producer.disconnect();
    await admin.disconnect();

    first.child.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    // Simulate a write torn by the crash: half a record header at the end of the log.
    const logFile = path.join(dataDir, OFFSETS_DIR, 'group-metadata.log');
    const sizeBefore = fs.statSync(logFile).size;
    fs.appendFileSync(logFile, Buffer.from([0, 0, 1]));

    const second = await spawnBroker([
      '--data-dir',
      dataDir,
      '--group-initial-rebalance-delay-ms',
      '0',
      '--quiet',
    ]);
    brokers.push(second);
    const admin2 = kafkaClient(second.bootstrapServers).admin();
    await admin2.connect();
    const offsets = (await admin2.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions;
    expect(offsets.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '10'],
      [1, '10'],
      [2, '10'],
    ]);
    expect(second.stderr()).toMatch(
      /group-metadata\.log: corrupt or torn record at byte \d+, truncating 3 bytes/,
    );
    expect(fs.statSync(logFile).size).toBe(sizeBefore);
    const described = (await admin2.describeGroups([GROUP])).groups[0]!;
    expect(described).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    expect((await admin2.listGroups()).groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });

    // The group resumes where it committed: only the 15 records produced after the commit.
    const resumed = await consume(second.bootstrapServers, 15, true);
    // Read to the end of every partition (offset 14 is each one's last), so a resume from an
    // earlier offset would show as more records.
    await waitFor(
      () => [0, 1, 2].every((p) => resumed.lastOffsets.get(p) === 14),
      30_000,
      'the end of every partition',
    );
    expect([...resumed.values].sort()).toEqual(Array.from({ length: 15 }, (_, i) => `b${i}`).sort());
    await resumed.consumer.disconnect();
    await admin2.disconnect();

    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);
  });
});
