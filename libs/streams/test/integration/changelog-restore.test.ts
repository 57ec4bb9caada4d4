import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { Consumed, KafkaStreams, Produced, Serdes, Stores, StreamsBuilder } from '../../src';
import { consume, createTopics, produce, silentLogger, startBroker } from '@gmart/test-support';
import { CountingProcessor } from '../helpers/counting-processor';

jest.setTimeout(120000);
const S = Serdes.String();

describe('store changelogs through the runtime (hooks for issue 4)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await env?.broker.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function app(stateDir: string, restored: Array<[string, number]> = []) {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), S, Serdes.Integer()));
    b.stream('cl-in', Consumed.with(S, S))
      .process(() => new CountingProcessor('counts'), 'counts')
      .to('cl-out', Produced.with(S, S));
    return new KafkaStreams(b.build(), {
      applicationId: 'cl',
      bootstrapServers: env.brokers,
      commitIntervalMs: 200,
      stateDir,
      logger: silentLogger,
      metricsRegistry: new Registry(),
      stateRestoreListener: {
        onRestoreEnd: (tp, store, total) => restored.push([`${store}@${tp.topic}-${tp.partition}`, total]),
      },
    });
  }

  it('creates <applicationId>-<store>-changelog, writes every change to it and restores a fresh instance from it', async () => {
    await createTopics(env.kafka, [
      { topic: 'cl-in', numPartitions: 2 },
      { topic: 'cl-out', numPartitions: 2 },
    ]);
    const keys = ['a', 'b', 'c', 'd', 'e'];
    await produce(
      env.kafka,
      'cl-in',
      Array.from({ length: 50 }, (_, i) => ({ key: keys[i % 5], value: 'x' })),
    );
    const dir1 = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-1-'));
    dirs.push(dir1);
    const first = app(dir1);
    await first.start();
    await consume(env.kafka, 'cl-out', 50);
    await first.close();
    const changelog = await consume(env.kafka, 'cl-counts-changelog', 50);
    expect(changelog.filter((r) => r.key === 'a').map((r) => r.value!.readInt32BE(0))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);

    // A new instance with an empty state directory restores the counts before processing.
    await produce(
      env.kafka,
      'cl-in',
      keys.map((key) => ({ key, value: 'y' })),
    );
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-2-'));
    dirs.push(dir2);
    const restored: Array<[string, number]> = [];
    const second = app(dir2, restored);
    await second.start();
    const out = await consume(env.kafka, 'cl-out', 55);
    expect(restored.map(([, n]) => n).reduce((a, b) => a + b, 0)).toBe(50);
    expect(restored.map(([s]) => s).sort()).toEqual([
      'counts@cl-counts-changelog-0',
      'counts@cl-counts-changelog-1',
    ]);
    const latest = new Map<string, string>();
    for (const r of out.sort((x, y) => x.offset - y.offset)) latest.set(r.key!, r.value!.toString());
    expect(Object.fromEntries(latest)).toEqual({ a: '11', b: '11', c: '11', d: '11', e: '11' });
    await second.close();
  });
});
