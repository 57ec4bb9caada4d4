import {
  SeededRandom,
  jsonBytesStart,
  reserveJsonBytes,
  takeJsonBytes,
  writeJsonNumber,
  writeJsonString,
} from '../src';

/** One value written alone through the pool, as a writer does. */
function written(bound: number, write: (out: Buffer, at: number) => number): Buffer {
  const out = reserveJsonBytes(bound);
  return takeJsonBytes(write(out, jsonBytesStart()));
}

const reference = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  9,
  10,
  99,
  100,
  1_000_000,
  1_764_687_600_000,
  -1_764_687_600_000,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  2 ** 60,
  1e21,
  -1e21,
  1.5,
  -0.1,
  1.5e-7,
  5e-324,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  -2.2250738585072014e-308,
  NaN,
  Infinity,
  -Infinity,
];

describe('json-bytes', () => {
  it('writes numbers as JSON.stringify does (safe integers digit by digit)', () => {
    for (const n of NUMBERS)
      expect(written(24, (out, at) => writeJsonNumber(out, at, n)).toString()).toBe(JSON.stringify(n));
    const r = new SeededRandom(3);
    for (let i = 0; i < 20_000; i++) {
      const digits = r.int(1, 16);
      const n = (r.chance(0.3) ? -1 : 1) * Math.floor(r.float() * 10 ** digits);
      const m = r.chance(0.1) ? n / 7 : n;
      const bytes = written(24, (out, at) => writeJsonNumber(out, at, m));
      if (!bytes.equals(reference(m))) throw new Error(`${m}: ${bytes.toString()}`);
    }
  });

  it('writes strings as JSON.stringify does (escapes, UTF-8, lone surrogates)', () => {
    for (const s of [
      '',
      'C-0001',
      'BRK.B',
      'a"b',
      'back\\slash',
      'tab\t',
      '\u0000\u001f\u007f',
      'café',
      '日本語',
      '😀',
      '\ud83d',
      '\ude00x',
      '\u2028',
    ])
      expect(written(s.length * 6 + 2, (out, at) => writeJsonString(out, at, s)).equals(reference(s))).toBe(
        true,
      );
  });

  it('hands out slices that later values do not overwrite, and large values on their own buffer', () => {
    const kept: Array<[number, Buffer]> = [];
    for (let i = 0; i < 5_000; i++)
      kept.push([i * 1_000_003, written(24, (out, at) => writeJsonNumber(out, at, i * 1_000_003))]);
    const big = 'x'.repeat(2_000);
    const large = written(big.length * 6 + 2, (out, at) => writeJsonString(out, at, big));
    expect(large.equals(reference(big))).toBe(true);
    expect(kept.filter(([n, b]) => !b.equals(reference(n)))).toEqual([]);
  });
});
