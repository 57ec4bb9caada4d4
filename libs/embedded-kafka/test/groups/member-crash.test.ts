/**
 * A member that dies without leaving (kill -9 of its process) is expired after
 * its session timeout and the survivor takes over its partitions.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { AssignerProtocol, type Consumer } from 'kafkajs';
import type { EmbeddedKafka } from '../../src';
import { kafkaClient, startBroker, waitFor } from './support/broker';

const TOPIC = 'crash-orders';
const GROUP = 'crash-group';

describe('a group member killed without LeaveGroup', () => {
  let broker: EmbeddedKafka;
  let child: ChildProcess | undefined;
  let survivor: Consumer | undefined;

  beforeAll(async () => {
    broker = await startBroker();
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.disconnect().catch(() => {});
    await broker.stop();
  });

  it('is expired after its session timeout and its partitions move to the survivor', async () => {
    const kafka = kafkaClient(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    const send = (prefix: string) =>
      producer.send({
        topic: TOPIC,
        acks: -1,
        messages: Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, value: `${prefix}${i}` })),
      });

    const childLines: string[] = [];
    child = spawn(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(__dirname, 'support', 'consumer-process.ts'),
        broker.bootstrapServers,
        GROUP,
        TOPIC,
      ],
      { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      childLines.push(...parts.filter((l) => l.length > 0));
    });
    await waitFor(() => childLines.includes('ready'), 30_000, 'the child consumer to join');

    const survivorValues: string[] = [];
    survivor = kafka.consumer({
      groupId: GROUP,
      sessionTimeout: 6000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    await survivor.connect();
    await survivor.subscribe({ topic: TOPIC, fromBeginning: true });
    await survivor.run({
      eachMessage: async ({ message }) => void survivorValues.push(message.value!.toString()),
    });
    await waitFor(
      async () => {
        const g = (await admin.describeGroups([GROUP])).groups[0]!;
        return g.state === 'Stable' && g.members.length === 2;
      },
      30_000,
      'a stable group of two',
    );
    await send('a');
    const childValues = () => childLines.filter((l) => l !== 'ready').map((l) => l.split(' ')[2]!);
    await waitFor(() => childValues().length + survivorValues.length >= 20, 30_000, 'the first 20 records');
    expect(childValues().length).toBeGreaterThan(0); // the child really owned a partition

    child.kill('SIGKILL');
    await send('b');
    // After the session timeout (6 s) the survivor owns both partitions and gets the child's share.
    await waitFor(
      async () => {
        const g = (await admin.describeGroups([GROUP])).groups[0]!;
        if (g.state !== 'Stable' || g.members.length !== 1) return false;
        const owned =
          AssignerProtocol.MemberAssignment.decode(g.members[0]!.memberAssignment)!.assignment[TOPIC] ?? [];
        return owned.length === 2;
      },
      30_000,
      'the survivor to own both partitions',
    );
    const expected = [
      ...Array.from({ length: 20 }, (_, i) => `a${i}`),
      ...Array.from({ length: 20 }, (_, i) => `b${i}`),
    ];
    await waitFor(
      () => expected.every((v) => survivorValues.includes(v) || childValues().includes(v)),
      30_000,
      'all 40 records',
    );
    expect(expected.filter((v) => v.startsWith('b')).every((v) => survivorValues.includes(v))).toBe(true);
    await producer.disconnect();
    await admin.disconnect();
  });
});
