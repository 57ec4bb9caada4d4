import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { EmbeddedKafka } from '@gmart/embedded-kafka';
import { startBroker, tempDir } from '@gmart/test-support';
import { ensureTopics, loadTopicsFile, parseTopicsFile } from '../src';
import { DEPLOY_DIR, REPO_ROOT, TOPICS_FILE } from './support/paths';

jest.setTimeout(120_000);
const run = promisify(execFile);

let dir: string;
let broker: EmbeddedKafka;
let admin: Admin;

beforeAll(async () => {
  dir = tempDir('gmart-create-topics');
  const started = await startBroker({ dataDir: path.join(dir, 'kafka') });
  broker = started.broker;
  admin = started.kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await broker?.stop();
});

const partitionsOf = async (topics: string[]): Promise<Record<string, number>> => {
  const md = await admin.fetchTopicMetadata({ topics });
  return Object.fromEntries(md.topics.map((t) => [t.name, t.partitions.length]));
};

describe('ensureTopics against the embedded broker (kafkajs over TCP)', () => {
  const specs = loadTopicsFile(TOPICS_FILE);

  it('creates every topic of deploy/topics.yaml with its partitions and configs, then is a no-op', async () => {
    const first = await ensureTopics(admin, specs);
    expect(first.created.sort()).toEqual(specs.map((s) => s.name).sort());
    expect(first.existing).toEqual([]);
    const partitions = await partitionsOf(specs.map((s) => s.name));
    for (const s of specs)
      expect({ topic: s.name, partitions: partitions[s.name] }).toEqual({
        topic: s.name,
        partitions: s.partitions,
      });
    const cfg = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'gmart-rewards-rewardsPointsStore-changelog',
          configNames: ['cleanup.policy'],
        },
      ],
    });
    expect(cfg.resources[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue).toBe(
      'compact',
    );

    const second = await ensureTopics(admin, specs);
    expect(second.created).toEqual([]);
    expect(second.existing.sort()).toEqual(specs.map((s) => s.name).sort());
    expect(second.fewerPartitions).toEqual([]);
  });

  it('reports, and leaves alone, an existing topic with fewer partitions than requested', async () => {
    await admin.createTopics({ topics: [{ topic: 'small-topic', numPartitions: 1 }] });
    const report = await ensureTopics(
      admin,
      parseTopicsFile('topics:\n  - name: small-topic\n    partitions: 4\n', 'inline'),
    );
    expect(report.fewerPartitions).toEqual([{ topic: 'small-topic', actual: 1, requested: 4 }]);
    expect(await partitionsOf(['small-topic'])).toEqual({ 'small-topic': 1 });
  });

  it('two concurrent runs (two Jobs, two replicas) both succeed', async () => {
    const race = parseTopicsFile(
      'topics:\n  - name: race-a\n  - name: race-b\n    partitions: 2\n',
      'inline',
    );
    const [a, b] = await Promise.all([ensureTopics(admin, race), ensureTopics(admin, race)]);
    expect([...a.created, ...a.existing].sort()).toEqual(['race-a', 'race-b']);
    expect([...b.created, ...b.existing].sort()).toEqual(['race-a', 'race-b']);
    expect(await partitionsOf(['race-a', 'race-b'])).toEqual({ 'race-a': 1, 'race-b': 2 });
  });
});

describe('create-topics CLI against the embedded broker', () => {
  it('creates the topics of several files and exits 0', async () => {
    const extra = path.join(dir, 'extra.yaml');
    fs.writeFileSync(extra, 'topics:\n  - name: cli-extra\n    partitions: 5\n');
    const { stdout } = await run(
      process.execPath,
      [
        '--conditions=@gmart/source',
        '-r',
        '@swc-node/register',
        path.join(DEPLOY_DIR, 'src/cli/create-topics.ts'),
        '--file',
        TOPICS_FILE,
        '--file',
        extra,
      ],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, KAFKA_BROKERS: broker.bootstrapServers },
        timeout: 90_000,
      },
    );
    expect(stdout).toContain('create-topics: 1 created');
    expect(stdout).toContain('  created cli-extra');
    expect(await partitionsOf(['cli-extra'])).toEqual({ 'cli-extra': 5 });
  });
});
