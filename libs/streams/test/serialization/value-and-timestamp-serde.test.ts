import { Serdes, type Serde } from '../../src';
import { DeferredSerde } from '../../src/kstream/internals/deferred-serde';
import { LONG_AS_NUMBER } from '../../src/kstream/internals/long-serde';
import { ValueAndTimestampSerde, type ValueAndTimestamp } from '../../src/state/value-and-timestamp';

/** The format spelled out: 8-byte big-endian timestamp, then the Long serde's bytes of the value. */
function expected(value: number, timestamp: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeBigInt64BE(BigInt(timestamp), 0);
  out.writeBigInt64BE(BigInt(value), 8);
  return out;
}

const VALUES = [
  0,
  1,
  -1,
  -2,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  -(2 ** 32),
  2 ** 32 + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];
const TIMESTAMPS = [0, 1, 1_780_000_000_000, 2 ** 32, Number.MAX_SAFE_INTEGER];

describe('ValueAndTimestampSerde of the Long count serde', () => {
  const deferred = new DeferredSerde<number>(undefined, 'test');
  const serdes: Array<[string, Serde<number>]> = [
    ['LONG_AS_NUMBER (one 16-byte buffer)', LONG_AS_NUMBER],
    ['a deferred serde bound to it later', deferred],
  ];

  it.each(serdes)('%s: the bytes and values of Kafka Streams format', (_name, valueSerde) => {
    const vat = new ValueAndTimestampSerde<number>(valueSerde);
    const ser = vat.serializer();
    const de = vat.deserializer();
    deferred.bindDefault(LONG_AS_NUMBER);
    for (const value of VALUES)
      for (const timestamp of TIMESTAMPS) {
        const bytes = ser.serialize('t', { value, timestamp })!;
        expect(bytes).toEqual(expected(value, timestamp));
        expect(de.deserialize('t', bytes)).toEqual({ value, timestamp });
      }
    expect(ser.serialize('t', null as unknown as ValueAndTimestamp<number>)).toBeNull();
    expect(de.deserialize('t', null)).toBeNull();
  });

  it('reads a value beyond the safe integers through the value serde, as before', () => {
    const vat = new ValueAndTimestampSerde<number>(LONG_AS_NUMBER);
    const bytes = Buffer.alloc(16);
    bytes.writeBigInt64BE(5n, 0);
    bytes.writeBigInt64BE(2n ** 60n, 8);
    expect(vat.deserializer().deserialize('t', bytes)).toEqual({ value: 2 ** 60, timestamp: 5 });
  });

  it('gives the same bytes as the generic path over Serdes.Long, and the same errors', () => {
    const fast = new ValueAndTimestampSerde<number>(LONG_AS_NUMBER);
    const generic = new ValueAndTimestampSerde<number | bigint>(Serdes.Long());
    for (const value of VALUES)
      expect(fast.serializer().serialize('t', { value, timestamp: 7 })).toEqual(
        generic.serializer().serialize('t', { value, timestamp: 7 }),
      );
    expect(() => fast.serializer().serialize('t', { value: 1.5, timestamp: 7 })).toThrow(/non-integer/);
    expect(() => fast.deserializer().deserialize('t', Buffer.alloc(12))).toThrow(/expects 8 bytes/);
    expect(() => fast.deserializer().deserialize('t', Buffer.alloc(4))).toThrow(/too short/);
  });
});
