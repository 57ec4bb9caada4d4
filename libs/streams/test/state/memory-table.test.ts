import { MemoryTable } from '../../src/state/internals/memory-table';
import { SLAB_MAX_VALUE_BYTES } from '../../src/state/internals/value-slab';
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

/** A value of the model test: mostly a few bytes, sometimes larger than a slab takes. */
function valueOf(step: number, rnd: () => number): string {
  const r = rnd();
  if (r < 0.02) return `${'L'.repeat(SLAB_MAX_VALUE_BYTES)}${step}`;
  if (r < 0.1) return `${'m'.repeat(40)}${step}`;
  return String(step);
}

describe.each([false, true])('MemoryTable (packValues %s)', (packValues) => {
  it.each([1, 2, 3])(
    'gets and scans as a sorted map across puts, deletes and re-adds between scans (seed %i)',
    (seed) => {
      const rnd = seededRandom(seed);
      const table = new MemoryTable(packValues);
      const model = new Map<string, string>();
      // Long stretches without a scan (keys added then removed and added again meanwhile), then scans.
      for (let step = 0; step < 6000; step++) {
        const op = rnd();
        const key = keyOf(rnd);
        if (op < 0.45) {
          const value = valueOf(step, rnd);
          if (rnd() < 0.2) table.writeBatch([{ key, value: Buffer.from(value) }]);
          else table.put(key, Buffer.from(value));
          model.set(hex(key), value);
        } else if (op < 0.75) {
          if (rnd() < 0.2) table.writeBatch([{ key, value: null }]);
          else table.delete(key);
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
    const table = new MemoryTable(packValues);
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
    const table = new MemoryTable(packValues);
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

describe('MemoryTable with packed values', () => {
  it('copies what it is given and hands out values that later writes, removals and compactions do not change', () => {
    const table = new MemoryTable(true);
    const given = Buffer.from('v0');
    table.put(Buffer.from('k'), given);
    given[0] = 0x58; // the caller's buffer changes afterwards: the table kept a copy
    const read = table.get(Buffer.from('k'))!;
    expect(read.toString()).toBe('v0');
    const held: Array<[Buffer, string]> = [[read, 'v0']];
    const model = new Map<string, string>([['k', 'v0']]);
    // rewrite a few keys many times: most of the slab turns dead and is compacted again and again
    for (let i = 1; i < 20_000; i++) {
      const key = Buffer.from(`k${i % 7}`);
      table.put(key, Buffer.from(`v${i}`));
      model.set(`k${i % 7}`, `v${i}`);
      if (i % 1000 === 0) held.push([table.get(key)!, `v${i}`]);
      if (i % 3 === 0) {
        table.delete(Buffer.from(`k${(i + 1) % 7}`));
        model.delete(`k${(i + 1) % 7}`);
      }
    }
    for (const [b, text] of held) expect(b.toString()).toBe(text);
    const rows = [...table.range(undefined, undefined, false)].map((e) => `${e.key}=${e.value}`);
    expect(rows).toEqual([...model].sort().map(([k, v]) => `${k}=${v}`));
    expect(rows.length).toBeGreaterThan(3);
  });

  it('keeps a value too large for the slab as a Buffer of its own, and a restored one as a copy', () => {
    const table = new MemoryTable(true);
    const large = Buffer.alloc(SLAB_MAX_VALUE_BYTES + 1, 7);
    table.put(Buffer.from('a'), large);
    expect(table.get(Buffer.from('a'))).toBe(large);
    const restored = Buffer.alloc(SLAB_MAX_VALUE_BYTES + 1, 8);
    table.writeBatch([{ key: Buffer.from('b'), value: restored }]);
    restored[0] = 0;
    expect(table.get(Buffer.from('b'))!.equals(Buffer.alloc(SLAB_MAX_VALUE_BYTES + 1, 8))).toBe(true);
    table.put(Buffer.from('a'), Buffer.from('small'));
    expect(table.get(Buffer.from('a'))!.toString()).toBe('small');
  });
});
