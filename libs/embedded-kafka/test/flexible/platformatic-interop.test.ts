/**
 * A real modern client on the flexible versions: @platformatic/kafka (which
 * negotiates the newest versions we serve: Metadata 12, Produce 11, Fetch 17
 * with topic ids, JoinGroup 9, SyncGroup 5, OffsetCommit 9, OffsetFetch 9,
 * CreateTopics 7, DeleteTopics 6, ...) runs admin, produce with each codec, and
 * a consumer group against the embedded broker. It is ESM-only and needs Node
 * >= 22.22 (the project's supported Node), so it runs in a child process.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { EmbeddedKafka } from '../../src';
import { startBroker } from '../groups/support/broker';

const run = promisify(execFile);

describe('@platformatic/kafka against the embedded broker', () => {
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await startBroker();
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('creates a topic, produces with every codec, consumes in a group with a static instance id, commits and deletes', async () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > 22 || (major === 22 && minor >= 22)).toBe(true); // the project's supported Node
    const script = path.join(__dirname, '..', 'groups', 'support', 'platformatic_round_trip.mjs');
    const { stdout } = await run(
      process.execPath,
      [script, broker.bootstrapServers, 'plt-topic', 'plt-group'],
      {
        timeout: 120_000,
      },
    );
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    const id = broker.logManager.topic('plt-topic') ? broker.logManager.topic('plt-topic')!.topicId : null;
    expect(id).toBeNull(); // deleted at the end
    expect(out.created).toEqual([
      { name: 'plt-topic', partitions: 3, id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    expect(out.metadata).toEqual({ partitions: 3, id: out.created[0].id });
    const expected: string[] = [];
    for (const c of ['none', 'gzip', 'snappy', 'lz4', 'zstd'])
      for (let i = 0; i < 20; i++) expected.push(`${c}-${i}=v-${c}-${i}`);
    expect(out.consumed).toEqual(expected.sort());
    expect(out.group).toEqual({ state: 'Stable', protocolType: 'consumer', members: ['plt-instance-0'] });
    // 100 records over 3 partitions (i % 3 of 20 per codec): 35, 35, 30; the group committed up to each end.
    expect(out.committed).toEqual([
      ['plt-topic', 0, 35],
      ['plt-topic', 1, 35],
      ['plt-topic', 2, 30],
    ]);
    expect(out.afterDelete).toBe(false);
  });
});
