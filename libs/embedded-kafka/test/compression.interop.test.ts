import * as fs from 'node:fs';
import { EmbeddedKafka } from '../src';
import { kafkaFor, tempDir } from './helpers/broker';
import { kcat, kcatConsume } from './helpers/kcat';

const CODECS = [
  ['gzip', 1],
  ['snappy', 2],
  ['lz4', 3],
  ['zstd', 4],
] as const;

/**
 * librdkafka (kcat) writes batches in every codec; the broker stores them as sent, serves them back,
 * and compacts them: a batch that loses records is rewritten in its own codec, and librdkafka reads
 * the result (it checks each batch's CRC and decompresses it).
 */
describe('compressed batches from kcat: stored, served and compacted', () => {
  const dataDir = tempDir('ek-codecs-');
  let broker: EmbeddedKafka;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0, dataDir, logCleanerIntervalMs: 3600000 });
  });
  afterAll(async () => {
    await broker?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const codecsOf = (topic: string) =>
    new Set(
      broker.logManager
        .partition(topic, 0)!
        .allEntries()
        .map((e) => e.attributes & 0x07),
    );

  it.each(CODECS)(
    '%s: kcat -z produces, the log keeps the codec, compaction keeps the latest per key',
    async (codec, id) => {
      const topic = `compact-${codec}`;
      const admin = kafkaFor(broker.bootstrapServers).admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      });
      await admin.disconnect();
      const latest = new Map<string, string>();
      let total = 0;
      for (let round = 0; round < 4; round++) {
        const lines: string[] = [];
        for (let k = 0; k < 10; k++) {
          // Keys 0-4 are rewritten every round; keys 5-9 only in round 0.
          if (round > 0 && k >= 5) continue;
          const value = `value-${k}-${round}-${'x'.repeat(40)}`;
          lines.push(`key-${k}:${value}`);
          latest.set(`key-${k}`, value);
        }
        total += lines.length;
        const r = await kcat(
          ['-P', '-b', broker.bootstrapServers, '-t', topic, '-K:', '-X', 'acks=all', '-z', codec],
          lines.join('\n') + '\n',
        );
        expect(r.code).toBe(0);
      }
      expect(codecsOf(topic)).toEqual(new Set([id]));
      const before = await kcatConsume(broker.bootstrapServers, topic, '%k=%s@%o\\n');
      expect(before).toHaveLength(total);

      // Everything so far into closed segments; the active segment (never cleaned) gets one record.
      broker.logManager.partition(topic, 0)!.roll();
      expect(
        (await kcat(['-P', '-b', broker.bootstrapServers, '-t', topic, '-K:', '-z', codec], 'marker:last\n'))
          .code,
      ).toBe(0);
      latest.set('marker', 'last');

      const removed = broker.runLogCleaner();
      expect(removed).toBe(total + 1 - latest.size);
      const after = await kcatConsume(broker.bootstrapServers, topic, '%k=%s@%o\\n');
      expect(after.map((l) => l.replace(/@\d+$/, '')).sort()).toEqual(
        [...latest].map(([k, v]) => `${k}=${v}`).sort(),
      );
      for (const line of after.slice(0, -1)) expect(before).toContain(line);
      // Rewritten batches kept their codec (the marker, one short record, librdkafka sends uncompressed).
      const entries = broker.logManager.partition(topic, 0)!.allEntries();
      expect(entries[entries.length - 1]!.lastOffset).toBe(total);
      expect(new Set(entries.slice(0, -1).map((e) => e.attributes & 0x07))).toEqual(new Set([id]));
    },
  );
});
