import { formatIsoInstant, parseIsoInstant } from '../src';
import { SeededRandom } from '../src/generator/seeded-random';
import { writeIsoInstant } from '../src/models/iso-instant';

const MAX = 253_402_300_799_999;
const DAY = 86_400_000;

/** Instants around every edge the formatter has: day and year boundaries, leap days, the range's ends. */
function edges(): number[] {
  const out = [0, 1, 999, 1000, DAY - 1, DAY, DAY + 1, MAX, MAX - 1, Date.UTC(2000, 1, 29, 23, 59, 59, 999)];
  for (const y of [1970, 1999, 2000, 2024, 2026, 2100, 9999])
    for (const [m, d] of [
      [0, 1],
      [1, 28],
      [1, 29],
      [2, 1],
      [11, 31],
    ] as const) {
      const t = Date.UTC(y, m, d);
      out.push(t - 1, t, t + 1, t + DAY - 1);
    }
  return out.filter((t) => t >= 0 && t <= MAX);
}

describe('formatIsoInstant', () => {
  it('writes exactly what toISOString writes, for edges and for random instants in any order', () => {
    const random = new SeededRandom(7);
    const values = [...edges()];
    for (let i = 0; i < 50_000; i++) values.push(Math.floor(random.float() * MAX));
    // Runs of instants of one day (as a stream's records), then jumps back and forth between days.
    for (let i = 0; i < 5_000; i++) values.push(1_733_400_000_000 + Math.floor(random.float() * 3 * DAY));
    for (const t of values) expect(formatIsoInstant(t)).toBe(new Date(t).toISOString());
  });

  it('outside whole milliseconds of 1970-9999 behaves as toISOString (other forms, same errors)', () => {
    for (const t of [-1, -DAY - 5, -62_198_755_200_000, MAX + 1, 8.64e15, 1.5, 1_733_400_000_000.7, -0])
      expect(formatIsoInstant(t)).toBe(new Date(t).toISOString());
    for (const t of [NaN, Infinity, -Infinity, 8.64e15 + 1])
      expect(() => formatIsoInstant(t)).toThrow(RangeError);
  });
});

describe('writeIsoInstant', () => {
  /** What it writes for `t` at an odd offset of a buffer that held other bytes, and the offset after it. */
  const written = (t: number): [string, number] => {
    const out = Buffer.alloc(40, 0x7e);
    const end = writeIsoInstant(out, 3, t);
    expect(out.subarray(0, 3).equals(Buffer.alloc(3, 0x7e))).toBe(true);
    expect(out.subarray(end).equals(Buffer.alloc(40 - end, 0x7e))).toBe(true);
    return [out.toString('latin1', 3, end), end];
  };

  it("writes toISOString's bytes, for edges and random instants in any order, within and outside 1970-9999", () => {
    const random = new SeededRandom(13);
    const values = [
      ...edges(),
      -1,
      -DAY - 5,
      -62_198_755_200_000,
      MAX + 1,
      8.64e15,
      1.5,
      1_733_400_000_000.7,
      -0,
    ];
    for (let i = 0; i < 50_000; i++) values.push(Math.floor(random.float() * MAX));
    // Runs of instants of one day (as a stream's records), then jumps back and forth between days.
    for (let i = 0; i < 5_000; i++) values.push(1_733_400_000_000 + Math.floor(random.float() * 3 * DAY));
    for (const t of values) {
      const iso = new Date(t).toISOString();
      expect(written(t)).toEqual([iso, 3 + iso.length]);
    }
  });

  it('throws the RangeError toISOString throws for an invalid time', () => {
    for (const t of [NaN, Infinity, -Infinity, 8.64e15 + 1])
      expect(() => writeIsoInstant(Buffer.alloc(40), 0, t)).toThrow(RangeError);
  });
});

describe('parseIsoInstant', () => {
  it("reads toISOString's form as Date.parse does", () => {
    const random = new SeededRandom(11);
    const values = [...edges()];
    for (let i = 0; i < 20_000; i++) values.push(Math.floor(random.float() * MAX));
    for (const t of values) {
      const s = new Date(t).toISOString();
      expect(parseIsoInstant(s)).toBe(Date.parse(s));
      expect(parseIsoInstant(s)).toBe(t);
    }
  });

  it('answers undefined for any other form or a date that does not exist', () => {
    for (const s of [
      '',
      '2026-11-30T05:55:00Z',
      '2026-11-30T05:55:00.000+00:00',
      '2026-11-30 05:55:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-11-30T24:00:00.000Z',
      '2026-11-30T05:60:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '+02026-11-30T05:55:00.00',
      '2026-1a-30T05:55:00.000Z',
    ])
      expect(parseIsoInstant(s)).toBeUndefined();
  });
});
