import { LastDecodedKey } from '../../src/state/internals/last-decoded-key';

describe('LastDecodedKey', () => {
  it('gives the remembered key only for bytes equal to those it was decoded from', () => {
    const last = new LastDecodedKey();
    expect(last.get(Buffer.from('ab'))).toBeUndefined();
    last.set(Buffer.from('ab'), 'ab');
    expect(last.get(Buffer.from('ab'))).toBe('ab');
    // same length, other bytes; a prefix; a longer key starting with it; multi-byte of equal length
    for (const other of ['ba', 'a', 'abc', 'é', ''])
      expect({ other, got: last.get(Buffer.from(other)) }).toEqual({ other, got: undefined });
    // a view into a larger buffer
    expect(last.get(Buffer.from('xaby').subarray(1, 3))).toBe('ab');
  });

  it('keeps a copy: bytes changed after they were remembered do not give the old key', () => {
    const last = new LastDecodedKey();
    const bytes = Buffer.from('ab');
    last.set(bytes, 'ab');
    bytes[0] = 'x'.charCodeAt(0);
    expect(last.get(bytes)).toBeUndefined();
    expect(last.get(Buffer.from('ab'))).toBe('ab');
  });

  it('grows for a longer key and forgets on clear', () => {
    const last = new LastDecodedKey();
    const long = 'k'.repeat(300);
    last.set(Buffer.from('short'), 'short');
    last.set(Buffer.from(long), long);
    expect(last.get(Buffer.from(long))).toBe(long);
    expect(last.get(Buffer.from('short'))).toBeUndefined();
    last.clear();
    expect(last.get(Buffer.from(long))).toBeUndefined();
  });

  it('tells equal from unequal bytes at every length and position, below and above the byte-by-byte bound', () => {
    const last = new LastDecodedKey();
    for (let n = 0; n <= 80; n++) {
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 37 + n) & 0xff;
      last.set(bytes, `k${n}`);
      expect(last.get(Buffer.from(bytes))).toBe(`k${n}`);
      for (let i = 0; i < n; i++) {
        const other = Buffer.from(bytes);
        other[i] ^= 1;
        if (last.get(other) !== undefined) throw new Error(`length ${n}: a change at ${i} gave the key`);
      }
    }
  });
});
