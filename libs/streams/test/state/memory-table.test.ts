import { MemoryTable } from '../../src/state/internals/memory-table';
import { seededRandom } from '../helpers/seeded-random';

/** Keys of 1-3 bytes over a small alphabet (0x00 and 0xff included): many re-adds, prefixes and byte-order edges. */
function keyOf(rnd: () => number): Buffer {
  const alphabet = [0x00, 0x01, 0x61, 0x62, 0x7f, 0x80, 0xff];
  const n = 1 + Math.floor(rnd() * 3);
  return Buffer.from(Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]!));
}

const hex = (b: Buffer) => b.toString('hex');

/** The model's entries with `from <= key <= to` in unsigned byte order, descending if `reverse`. */
function modelRange(model: Map<string, string>, from?: Buffer, to?: Buffer, reverse = false): string[] {
  const rows = [...model]
    .map(([k, v]) => ({ key: Buffer.from(k, 'hex'), v }))
    .filter(
      (r) =>
        (from === undefined || Buffer.compare(r.key, from) >= 0) &&
        (to === undefined || Buffer.compare(r.key, to) <= 0),
    )
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map((r) => `${hex(r.key)}=${r.v}`);
  return reverse ? rows.reverse() : rows;
}

describe('MemoryTable', () => {
  it.each([1, 2, 3])(
    'gets and scans as a sorted map across puts, deletes and re-adds between scans (seed %i)',
    (seed) => {
      const rnd = seededRandom(seed);
      const table = new MemoryTable();
      const model = new Map<string, string>();
      // Long stretches without a scan (keys added then removed and added again meanwhile), then scans.
      for (let step = 0; step < 6000; step++) {
        const op = rnd();
        const key = keyOf(rnd);
        if (op < 0.45) {
          const value = String(step);
          table.put(key, Buffer.from(value));
          model.set(hex(key), value);
        } else if (op < 0.75) {
          table.delete(key);
          model.delete(hex(key));
        } else if (op < 0.8 || step % 997 === 0) {
          const from = rnd() < 0.3 ? undefined : keyOf(rnd);
          const to = rnd() < 0.3 ? undefined : keyOf(rnd);
          const reverse = rnd() < 0.5;
          const scanned: string[] = [];
          for (const e of table.range(from, to, reverse)) scanned.push(`${hex(e.key)}=${e.value.toString()}`);
          expect(scanned).toEqual(modelRange(model, from, to, reverse));
          const visited: string[] = [];
          table.forEachInRange(from, to, reverse, (k, v) => visited.push(`${hex(k)}=${v.toString()}`));
          expect(visited).toEqual(scanned);
        } else {
          expect(table.get(key)?.toString()).toBe(model.get(hex(key)));
        }
        expect(table.count()).toBe(model.size);
      }
      expect([...table.range(undefined, undefined, false)].map((e) => `${hex(e.key)}=${e.value}`)).toEqual(
        modelRange(model),
      );
    },
  );

  it('an open scan reads the keys of its start: keys added later are not in it, keys removed meanwhile are skipped', () => {
    const table = new MemoryTable();
    for (const k of ['b', 'd', 'f']) table.put(Buffer.from(k), Buffer.from(k.toUpperCase()));
    const it = table.range(undefined, undefined, false);
    expect(it.next().value?.key.toString()).toBe('b');
    table.put(Buffer.from('c'), Buffer.from('C')); // added after the scan started
    table.delete(Buffer.from('d'));
    table.put(Buffer.from('e'), Buffer.from('E'));
    table.put(Buffer.from('f'), Buffer.from('F2')); // updated: read live
    expect([...it].map((e) => `${e.key}=${e.value}`)).toEqual(['f=F2']);
    expect([...table.range(undefined, undefined, false)].map((e) => `${e.key}`)).toEqual([
      'b',
      'c',
      'e',
      'f',
    ]);
  });

  it('keys removed and added again many times without a scan are scanned once each', () => {
    const table = new MemoryTable();
    for (let round = 0; round < 3000; round++) {
      const key = Buffer.from(`k${round % 3}`);
      table.put(key, Buffer.from(String(round)));
      if (round % 2 === 0) table.delete(key);
    }
    expect([...table.range(undefined, undefined, false)].map((e) => `${e.key}=${e.value}`)).toEqual([
      'k0=2997',
      'k2=2999',
    ]);
    expect(table.count()).toBe(2);
  });
});
