import * as fs from 'node:fs';
import { ConfigResourceTypes } from 'kafkajs';
import { EmbeddedKafka, type FsyncPolicy } from '../src';
import type { Decoder } from '../src/protocol/decoder';
import { kafkaFor, tempDir } from './helpers/broker';
import { readLines } from './helpers/read-lines';
import { RawClient } from './helpers/raw-client';
import { buildBatch, produceBody } from './helpers/record-batch-builder';

function produceResult(d: Decoder): { errorCode: number; baseOffset: number } {
  d.readInt32();
  d.readString();
  d.readInt32();
  d.readInt32();
  return { errorCode: d.readInt16(), baseOffset: d.readInt64() };
}

describe('storage across restarts (same dataDir)', () => {
  const dirs: string[] = [];
  let broker: EmbeddedKafka | undefined;

  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function newDir(): string {
    const d = tempDir('ek-storage-');
    dirs.push(d);
    return d;
  }

  it.each<[string, FsyncPolicy]>([
    ['always', 'always'],
    ['interval', { intervalMs: 50 }],
  ])('keeps records, configs, deleted-records marks and producer ids with fsync %s', async (_name, fsync) => {
    const dataDir = newDir();
    broker = await EmbeddedKafka.start({ port: 0, dataDir, fsync });
    const kafka = kafkaFor(broker.bootstrapServers);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'kept', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '123456' }] },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'kept',
      acks: -1,
      messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();
    await admin.fetchTopicMetadata({ topics: ['kept'] });
    await admin.deleteTopicRecords({ topic: 'kept', partitions: [{ partition: 0, offset: '4' }] });
    await admin.disconnect();
    const raw = await RawClient.connect(broker.bootstrapServers);
    const init = await raw.request(22, 0, (e) => e.writeNullableString(null).writeInt32(60000));
    init.readInt32();
    init.readInt16();
    const firstPid = init.readInt64();
    // An idempotent batch whose duplicate is sent after the restart.
    const batch = buildBatch({
      producerId: firstPid,
      producerEpoch: 0,
      baseSequence: 0,
      records: [{ key: 'p', value: 'once' }],
    });
    expect(produceResult(await raw.request(0, 3, produceBody('kept', 1, Buffer.from(batch))))).toEqual({
      errorCode: 0,
      baseOffset: 0,
    });
    raw.close();
    await broker.stop();

    broker = await EmbeddedKafka.start({ port: 0, dataDir, fsync });
    const admin2 = kafkaFor(broker.bootstrapServers).admin();
    await admin2.connect();
    const offsets = (await admin2.fetchTopicOffsets('kept')).sort((a, b) => a.partition - b.partition);
    expect(offsets).toEqual([
      { partition: 0, offset: '10', high: '10', low: '4' },
      { partition: 1, offset: '1', high: '1', low: '0' },
    ]);
    const cfg = await admin2.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kept', configNames: ['retention.ms'] }],
    });
    expect(cfg.resources[0]!.configEntries[0]!.configValue).toBe('123456');
    await admin2.disconnect();
    expect(await readLines(broker.bootstrapServers, 'kept', '%k=%s\\n', ['-p', '0'])).toEqual([
      'k4=v4',
      'k5=v5',
      'k6=v6',
      'k7=v7',
      'k8=v8',
      'k9=v9',
    ]);

    const raw2 = await RawClient.connect(broker.bootstrapServers);
    try {
      // The producer state was rebuilt from the batch index: the duplicate is recognised.
      expect(produceResult(await raw2.request(0, 3, produceBody('kept', 1, Buffer.from(batch))))).toEqual({
        errorCode: 0,
        baseOffset: 0,
      });
      const again = await raw2.request(22, 0, (e) => e.writeNullableString(null).writeInt32(60000));
      again.readInt32();
      again.readInt16();
      expect(again.readInt64()).toBeGreaterThan(firstPid);
    } finally {
      raw2.close();
    }
    expect(await readLines(broker.bootstrapServers, 'kept', '%k=%s\\n', ['-p', '1'])).toEqual(['p=once']);
  });

  it('deleted topics stay deleted and their data is gone', async () => {
    const dataDir = newDir();
    broker = await EmbeddedKafka.start({ port: 0, dataDir, autoCreateTopics: false });
    const admin = kafkaFor(broker.bootstrapServers).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'gone' }, { topic: 'stays' }] });
    await admin.deleteTopics({ topics: ['gone'] });
    await admin.disconnect();
    expect(fs.existsSync(`${dataDir}/gone-0`)).toBe(false);
    await broker.stop();
    broker = await EmbeddedKafka.start({ port: 0, dataDir, autoCreateTopics: false });
    const admin2 = kafkaFor(broker.bootstrapServers).admin();
    await admin2.connect();
    expect((await admin2.listTopics()).sort()).toEqual(['stays']);
    await admin2.disconnect();
  });
});
