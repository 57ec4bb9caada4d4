import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LmdbTable, ownedWrite } from '../../src/state/internals/lmdb-table';
import { lmdbEnvironmentPerTest } from './state-test-context';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A key and a value that are small views of one large buffer, as fetched records and pooled buffers are. */
function viewsOfLarge(i: number, size: number): { key: Buffer; value: Buffer; backing: ArrayBuffer } {
  const large = Buffer.alloc(size);
  const key = large.subarray(100, 108);
  key.writeUInt32BE(i, 4);
  const value = large.subarray(200, 216);
  value.fill(i % 251);
  return { key, value, backing: large.buffer };
}

/** Puts `n` writes whose keys and values view 256 KiB buffers; weak references to those buffers. */
function putViews(table: LmdbTable, n: number): Array<WeakRef<ArrayBuffer>> {
  const refs: Array<WeakRef<ArrayBuffer>> = [];
  for (let i = 0; i < n; i++) {
    const { key, value, backing } = viewsOfLarge(i, 256 * 1024);
    table.put(key, value);
    refs.push(new WeakRef(backing));
  }
  return refs;
}

describe('LmdbTable write buffer', () => {
  const lmdb = lmdbEnvironmentPerTest('write-buffer-test');

  it('keeps only the bytes of its writes alive, not the larger buffers their keys and values view', async () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    const n = 200;
    const refs = putViews(table, n);
    expect(table.hasPendingWrites()).toBe(true);
    await tick();
    gc();
    await tick();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    // Reads through the buffer, then from LMDB after the commit, give the written bytes.
    for (const phase of ['buffered', 'committed']) {
      if (phase === 'committed') table.flush();
      expect(table.hasPendingWrites()).toBe(phase === 'buffered');
      for (let i = 0; i < n; i++) {
        const { key, value } = viewsOfLarge(i, 512);
        expect(table.get(key)).toEqual(value);
      }
    }
  });

  it('buffers a delete and a rewrite as the last write of the key', () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    const k = (s: string) => Buffer.from(s);
    table.put(k('a'), k('1'));
    table.put(k('b'), k('2'));
    table.put(k('a'), k('3'));
    table.delete(k('b'));
    expect(table.get(k('a'))).toEqual(k('3'));
    expect(table.get(k('b'))).toBeUndefined();
    table.flush();
    expect(table.get(k('a'))).toEqual(k('3'));
    expect(table.get(k('b'))).toBeUndefined();
    expect(table.count()).toBe(1);
  });

  it('copies small writes into shared arena chunks of its own; a buffered read is a copy of its own', () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    const k = (i: number) => Buffer.from(`key-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < 3000; i++) table.put(k(i), Buffer.from(`value-${i}`));
    const read = table.get(k(7))!;
    expect(read.toString()).toBe('value-7');
    // changing what a read returned does not change the buffered write (a copy, not a view)
    read.fill(0);
    expect(table.get(k(7))!.toString()).toBe('value-7');
    table.flush();
    for (let i = 0; i < 3000; i += 97) expect(table.get(k(i))!.toString()).toBe(`value-${i}`);
  });

  it('buffers large and empty values and deletes of them as written (read back, then committed)', () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never);
    const large = Buffer.alloc(40_000, 3); // more than a quarter arena chunk: a buffer of its own
    const empty = Buffer.alloc(0);
    table.put(Buffer.from('large'), large);
    table.put(Buffer.from('empty'), empty);
    table.put(Buffer.from('gone-large'), large);
    table.delete(Buffer.from('gone-large'));
    table.put(Buffer.from('gone-small'), Buffer.from('x'));
    table.delete(Buffer.from('gone-small'));
    for (const phase of ['buffered', 'committed']) {
      if (phase === 'committed') table.flush();
      expect(table.hasPendingWrites()).toBe(phase === 'buffered');
      expect(table.get(Buffer.from('large'))).toEqual(large);
      expect(table.get(Buffer.from('empty'))).toEqual(empty);
      expect(table.get(Buffer.from('gone-large'))).toBeUndefined();
      expect(table.get(Buffer.from('gone-small'))).toBeUndefined();
    }
    expect(table.count()).toBe(2);
  });

  it('counts the copies of a key rewritten while buffered towards the byte limit', () => {
    const table = new LmdbTable(lmdb.env, lmdb.env as never, {
      entries: 1000,
      bytes: 4096,
      maxDelayMs: 60_000,
    });
    const value = Buffer.alloc(100, 7);
    let commits = 0;
    for (let i = 0; i < 200; i++) {
      table.put(Buffer.from('one-key'), value);
      if (!table.hasPendingWrites()) commits++;
    }
    // 200 x 107 bytes rewritten into one key: a commit about every 4096 bytes copied
    expect(commits).toBeGreaterThanOrEqual(4);
    expect(table.get(Buffer.from('one-key'))).toEqual(value);
  });

  it('ownedWrite copies key and value into one buffer of exactly their size', () => {
    const pooled = Buffer.from('key-and-value');
    const w = ownedWrite(pooled.subarray(0, 3), pooled.subarray(8));
    expect(w.key.toString()).toBe('key');
    expect(w.value!.toString()).toBe('value');
    expect(w.key.buffer).toBe(w.value!.buffer);
    expect(w.key.buffer.byteLength).toBe(8);
    expect(w.key.buffer).not.toBe(pooled.buffer);
    const del = ownedWrite(pooled.subarray(0, 3), null);
    expect(del.value).toBeNull();
    expect(del.key.buffer.byteLength).toBe(3);
  });
});
