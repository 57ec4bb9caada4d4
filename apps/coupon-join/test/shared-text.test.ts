import { seededRandom as random } from '@gmart/test-support';
import { sharedLatin1 } from '../src/shared-text';

describe('sharedLatin1', () => {
  it("reads what toString('latin1') reads, for any bytes, lengths and mix of repeated and new texts", () => {
    const next = random(17);
    // A small vocabulary (repeats: shared), texts differing in one byte or of one length (same
    // slots often), long ones (never shared) and random bytes of the whole latin1 range.
    const vocabulary = ['latte', 'espresso', 'customer-1', 'customer-2', 'customer-12', 'a', ''];
    const bytes = Buffer.alloc(200);
    const wrong: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const kind = next();
      let from = Math.floor(next() * 20);
      let to: number;
      if (kind < 0.4) {
        const text = vocabulary[Math.floor(next() * vocabulary.length)]!;
        to = from + bytes.write(text, from, 'latin1');
      } else if (kind < 0.7) {
        // Same length, bytes differing in one place.
        const n = 1 + Math.floor(next() * 8);
        bytes.fill(0x61, from, from + n);
        bytes[from + Math.floor(next() * n)] = 0x61 + Math.floor(next() * 3);
        to = from + n;
      } else {
        const n = Math.floor(next() * (next() < 0.1 ? 150 : 70));
        for (let j = 0; j < n; j++) bytes[from + j] = Math.floor(next() * 256);
        to = from + n;
      }
      if (next() < 0.05) from = to;
      const got = sharedLatin1(bytes, from, to);
      const expected = bytes.toString('latin1', from, to);
      if (got !== expected) wrong.push(`${JSON.stringify(got)} for ${JSON.stringify(expected)}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
