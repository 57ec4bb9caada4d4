import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointFile, parseCheckpoint } from '../../src/state/internals/checkpoint-file';
import { tempDir } from './state-test-context';

describe('CheckpointFile', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('ckpt-')));
  afterEach(() => tmp.cleanup());

  it('writes Kafka Streams’ format and reads it back', async () => {
    const file = new CheckpointFile(join(tmp.dir, 'task', '.checkpoint'));
    await file.write([
      { topic: 'app-a-changelog', partition: 0, offset: 1041 },
      { topic: 'app-b-changelog', partition: 3, offset: 0 },
      { topic: 'app-c-changelog', partition: 1, offset: -1 }, // unknown offsets are not written
    ]);
    expect(readFileSync(file.path, 'utf8')).toBe('0\n2\napp-a-changelog 0 1041\napp-b-changelog 3 0\n');
    expect(await file.read()).toEqual({
      status: 'ok',
      offsets: [
        { topic: 'app-a-changelog', partition: 0, offset: 1041 },
        { topic: 'app-b-changelog', partition: 3, offset: 0 },
      ],
    });
    // atomic replace leaves no temp files
    expect(readdirSync(join(tmp.dir, 'task'))).toEqual(['.checkpoint']);
    await file.write([]);
    expect(await file.read()).toEqual({ status: 'ok', offsets: [] });
  });

  it('reports a missing file as missing', async () => {
    expect(await new CheckpointFile(join(tmp.dir, 'nope')).read()).toEqual({ status: 'missing' });
  });

  it.each([
    ['empty file', ''],
    ['unknown version', '1\n0\n'],
    ['count not a number', '0\nx\n'],
    ['count mismatch', '0\n2\nt 0 1\n'],
    ['malformed line', '0\n1\nt zero 1\n'],
    ['truncated line', '0\n1\nt 0\n'],
    ['binary garbage', '\u0000\u0001\u0002'],
  ])('reports %s as corrupt', async (_what, text) => {
    const path = join(tmp.dir, '.checkpoint');
    writeFileSync(path, text);
    const result = await new CheckpointFile(path).read();
    expect(result.status).toBe('corrupt');
  });

  it('parses Windows line endings and trailing spaces leniently', () => {
    expect(parseCheckpoint('0\r\n1\r\nt 2 3\r\n')).toEqual({
      status: 'ok',
      offsets: [{ topic: 't', partition: 2, offset: 3 }],
    });
  });

  it('refuses to write a topic name with whitespace', async () => {
    await expect(
      new CheckpointFile(join(tmp.dir, 'c')).write([{ topic: 'a b', partition: 0, offset: 1 }]),
    ).rejects.toThrow(/illegal topic/);
  });
});
