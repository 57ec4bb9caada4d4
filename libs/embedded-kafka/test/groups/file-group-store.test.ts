/** The coordinator's offsets log on disk: replay, torn tails, compaction, tombstones. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommittedOffset } from '../../src/coordinator/committed-offset';
import { FileGroupStore } from '../../src/coordinator/internals/file-group-store';
import { tempDir } from './support/broker';

function offset(topic: string, partition: number, value: number): CommittedOffset {
  return {
    topic,
    partition,
    offset: value,
    topicId: `id-${topic}`,
    metadata: `m${value}`,
    commitTimestamp: 1000 + value,
    expireTimestamp: null,
  };
}

describe('FileGroupStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('group-store-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays offsets, generations and tombstones written before a restart', async () => {
    const store = new FileGroupStore({ dir, fsync: 'always' });
    expect(store.load().size).toBe(0);
    store.write([
      { type: 'group', groupId: 'g1', generationId: 4, protocolType: 'consumer' },
      { type: 'offset', groupId: 'g1', offset: offset('t', 0, 5) },
      { type: 'offset', groupId: 'g1', offset: offset('t', 1, 7) },
      { type: 'offset', groupId: 'g1', offset: offset('t', 0, 6) },
      { type: 'offset', groupId: 'g2', offset: offset('t', 0, 1) },
      { type: 'offset-delete', groupId: 'g1', topic: 't', partition: 1 },
      { type: 'group-delete', groupId: 'g2' },
    ]);
    await store.flush();
    await store.close();
    const reloaded = new FileGroupStore({ dir, fsync: 'never' }).load();
    expect([...reloaded.keys()]).toEqual(['g1']);
    const g1 = reloaded.get('g1')!;
    expect(g1.generationId).toBe(4);
    expect(g1.protocolType).toBe('consumer');
    expect([...g1.offsets.values()]).toEqual([offset('t', 0, 6)]);
  });

  it('cuts a corrupt tail (bad CRC) and keeps what precedes it', async () => {
    const store = new FileGroupStore({ dir, fsync: 'never' });
    store.load();
    store.write([{ type: 'offset', groupId: 'g', offset: offset('t', 0, 1) }]);
    const goodSize = fs.statSync(path.join(dir, 'group-metadata.log')).size;
    store.write([{ type: 'offset', groupId: 'g', offset: offset('t', 0, 2) }]);
    await store.close();
    const file = path.join(dir, 'group-metadata.log');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 2] ^= 0xff; // flip a bit inside the last record's JSON
    fs.writeFileSync(file, bytes);
    const warnings: string[] = [];
    const reloaded = new FileGroupStore({ dir, fsync: 'never', onWarning: (m) => warnings.push(m) }).load();
    expect([...reloaded.get('g')!.offsets.values()]).toEqual([offset('t', 0, 1)]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`corrupt or torn record at byte ${goodSize}`);
    expect(fs.statSync(file).size).toBe(goodSize);
  });

  it('compacts the log to the live records once most are superseded', async () => {
    const store = new FileGroupStore({ dir, fsync: { intervalMs: 10 }, compactionMinRecords: 50 });
    store.load();
    const file = path.join(dir, 'group-metadata.log');
    for (let i = 0; i < 500; i++)
      store.write([{ type: 'offset', groupId: 'g', offset: offset('t', i % 2, i) }]);
    // 500 commits to two partitions: compaction keeps the file at about 50 records, not 500.
    const largestRecord =
      8 + Buffer.byteLength(JSON.stringify({ type: 'offset', groupId: 'g', offset: offset('t', 1, 499) }));
    expect(fs.statSync(file).size).toBeLessThanOrEqual(51 * largestRecord);
    await store.close();
    const reloaded = new FileGroupStore({ dir, fsync: 'never' }).load();
    expect([...reloaded.get('g')!.offsets.values()].sort((a, b) => a.partition - b.partition)).toEqual([
      offset('t', 0, 498),
      offset('t', 1, 499),
    ]);
    expect(fs.existsSync(`${file}.compacting`)).toBe(false);
  });
});
