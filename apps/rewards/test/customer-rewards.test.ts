import { findCardNumbers } from '@gmart/gmart';
import { SerializationError } from '@gmart/streams';
import {
  CUSTOMER_REWARDS_BINARY_LENGTH,
  CUSTOMER_REWARDS_BINARY_V1,
  type CustomerRewards,
  customerRewardsJson,
  customerRewardsSerde,
} from '../src/customer-rewards';

const TOPIC = 'gmart-rewards-rewardsPointsStore-changelog';
const ser = customerRewardsSerde.serializer();
const de = customerRewardsSerde.deserializer();
const write = (v: CustomerRewards): Buffer => ser.serialize(TOPIC, v)!;
const read = (b: Buffer): CustomerRewards | null => de.deserialize(TOPIC, b);

/** A small deterministic generator (xorshift), so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Edge values and random ones over the whole safe-integer range of each field. */
function values(): CustomerRewards[] {
  const next = random(7);
  const totals = [0, 1, 2, 9, 10, 99, 1234, 2 ** 31, 2 ** 32 + 1, 10 ** 15, Number.MAX_SAFE_INTEGER];
  const dates = [
    0,
    1,
    -1,
    Date.UTC(2000, 0, 1),
    Date.UTC(2026, 0, 1, 0, 0, 0, 75),
    1_796_538_900_512,
    253_402_300_799_999,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  ];
  const out: CustomerRewards[] = [];
  for (const t of totals) for (const d of dates) out.push({ totalRewardPoints: t, lastPurchaseDate: d });
  for (let i = 0; i < 5_000; i++) {
    const scale = 10 ** Math.floor(next() * 16);
    out.push({
      totalRewardPoints: Math.floor(next() * scale),
      lastPurchaseDate: Math.floor((next() - 0.1) * 2 * 10 ** Math.floor(next() * 16)),
    });
  }
  return out;
}

describe('customerRewardsSerde (rewardsPointsStore values and changelog)', () => {
  it('writes 17 bytes (0x01, two big-endian doubles) and reads back exactly what it wrote', () => {
    for (const v of values()) {
      const b = write(v);
      expect(b.length).toBe(CUSTOMER_REWARDS_BINARY_LENGTH);
      expect(b[0]).toBe(CUSTOMER_REWARDS_BINARY_V1);
      expect(b.readDoubleBE(1)).toBe(v.totalRewardPoints);
      expect(b.readDoubleBE(9)).toBe(v.lastPurchaseDate);
      expect(read(b)).toEqual(v);
    }
  });

  it('reads the JSON form an earlier version wrote (a changelog from before still restores)', () => {
    for (const v of values().filter(
      (x) => x.lastPurchaseDate >= 0 && x.lastPurchaseDate <= 253_402_300_799_999,
    )) {
      const json = Buffer.from(customerRewardsJson(v), 'utf8');
      expect(json.toString()).toBe(
        JSON.stringify({
          totalRewardPoints: v.totalRewardPoints,
          lastPurchaseDate: new Date(v.lastPurchaseDate).toISOString(),
        }),
      );
      expect(read(json)).toEqual(v);
    }
    // Other date forms as Date.parse reads them, epoch milliseconds as they are.
    expect(
      read(Buffer.from('{"totalRewardPoints":5,"lastPurchaseDate":"2026-01-02T03:04:05+01:00"}')),
    ).toEqual({
      totalRewardPoints: 5,
      lastPurchaseDate: Date.UTC(2026, 0, 2, 2, 4, 5),
    });
    expect(read(Buffer.from(' {"lastPurchaseDate":12,"totalRewardPoints":0}'))).toEqual({
      totalRewardPoints: 0,
      lastPurchaseDate: 12,
    });
  });

  it('never holds a card-number-like digit run, whatever the values (13-19 digits, any separators)', () => {
    for (const v of values()) {
      const b = write(v);
      expect(findCardNumbers(b.toString('latin1'), { requireLuhn: false })).toEqual([]);
      let run = 0;
      let longest = 0;
      for (const c of b) {
        run = c >= 0x30 && c <= 0x39 ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      expect(longest).toBeLessThanOrEqual(7);
    }
  });

  it('passes null both ways (a deleted customer)', () => {
    expect(ser.serialize(TOPIC, null)).toBeNull();
    expect(de.deserialize(TOPIC, null)).toBeNull();
  });

  it('refuses invalid values on write and bad bytes on read with a SerializationError naming the topic', () => {
    const bad: unknown[] = [
      { totalRewardPoints: -1, lastPurchaseDate: 0 },
      { totalRewardPoints: 1.5, lastPurchaseDate: 0 },
      { totalRewardPoints: Number.NaN, lastPurchaseDate: 0 },
      { totalRewardPoints: 2 ** 53, lastPurchaseDate: 0 },
      { totalRewardPoints: 1, lastPurchaseDate: 0.5 },
      { totalRewardPoints: 1, lastPurchaseDate: 'yesterday' },
      { totalRewardPoints: 1 },
    ];
    for (const v of bad) expect(() => ser.serialize(TOPIC, v as CustomerRewards)).toThrow(SerializationError);

    const binary = (total: number, date: number, length = CUSTOMER_REWARDS_BINARY_LENGTH): Buffer => {
      const b = Buffer.alloc(Math.max(length, CUSTOMER_REWARDS_BINARY_LENGTH));
      b[0] = CUSTOMER_REWARDS_BINARY_V1;
      b.writeDoubleBE(total, 1);
      b.writeDoubleBE(date, 9);
      return b.subarray(0, length);
    };
    const badBytes = [
      binary(1, 2, 16),
      Buffer.concat([binary(1, 2), Buffer.from([0])]),
      Buffer.from([CUSTOMER_REWARDS_BINARY_V1]),
      binary(-1, 2),
      binary(0.25, 2),
      binary(Number.POSITIVE_INFINITY, 2),
      binary(1, Number.NaN),
      binary(1, 1.5),
      Buffer.alloc(0),
      Buffer.from('not json'),
      Buffer.from('[1,2]'),
      Buffer.from('null'),
      Buffer.from('{"totalRewardPoints":-3,"lastPurchaseDate":"2026-01-01T00:00:00.000Z"}'),
      Buffer.from('{"totalRewardPoints":3,"lastPurchaseDate":"someday"}'),
    ];
    for (const b of badBytes) {
      expect(() => de.deserialize(TOPIC, b)).toThrow(SerializationError);
      expect(() => de.deserialize(TOPIC, b)).toThrow(TOPIC);
    }
  });
});
