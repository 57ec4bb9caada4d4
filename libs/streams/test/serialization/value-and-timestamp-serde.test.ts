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

describe('ValueAndTimestampSerde of the UTF-8 text serdes (String, Json)', () => {
  /** The format spelled out: 8-byte big-endian timestamp, then the value serde's own bytes. */
  const spelled = <T>(serde: Serde<T>, value: T, timestamp: number): Buffer => {
    const ts = Buffer.alloc(8);
    ts.writeBigInt64BE(BigInt(timestamp), 0);
    return Buffer.concat([ts, serde.serializer().serialize('t', value)!]);
  };
  /** A serde the fast path does not know (same bytes as `inner`, through serialize/deserialize only). */
  const opaque = <T>(inner: Serde<T>): Serde<T> => Serdes.serdeFrom(inner.serializer(), inner.deserializer());

  const json = Serdes.Json<unknown>();
  const jsonValues: unknown[] = [
    { id: 1, name: 'Zoë — ✓ 😀', nested: { list: [1, 2.5, null, 'x'] } },
    'plain',
    '',
    0,
    false,
    [],
    { 'quote"and\\slash': '\u0000\u007f\u00ff\uffff' },
  ];
  const strings = ['', 'row-17', 'Zoë — ✓ 😀', '\u0000 lone surrogate \ud800 end', 'x'.repeat(5000)];

  it.each([
    ['Json', json, jsonValues],
    ['String', Serdes.String() as Serde<unknown>, strings],
  ] as Array<[string, Serde<unknown>, unknown[]]>)(
    '%s: the same bytes and values as through the serde itself, directly and deferred',
    (_name, serde, values) => {
      const deferred = new DeferredSerde<unknown>(undefined, 'test');
      const paths = [new ValueAndTimestampSerde(serde), new ValueAndTimestampSerde(deferred)];
      const generic = new ValueAndTimestampSerde(opaque(serde));
      deferred.bindDefault(serde);
      for (const vat of paths)
        for (const value of values)
          for (const timestamp of TIMESTAMPS) {
            const bytes = vat.serializer().serialize('t', { value, timestamp })!;
            expect(bytes).toEqual(spelled(serde, value, timestamp));
            expect(bytes).toEqual(generic.serializer().serialize('t', { value, timestamp }));
            expect(vat.deserializer().deserialize('t', bytes)).toEqual(
              generic.deserializer().deserialize('t', bytes),
            );
            expect(vat.deserializer().deserialize('t', bytes)).toEqual({
              value: serde.deserializer().deserialize('t', serde.serializer().serialize('t', value)),
              timestamp,
            });
          }
    },
  );

  it('reads a value written by the generic path at an offset of a larger buffer', () => {
    const vat = new ValueAndTimestampSerde(json);
    const bytes = new ValueAndTimestampSerde(opaque(json)).serializer().serialize('t', {
      value: { a: 'é' },
      timestamp: 9,
    })!;
    const big = Buffer.concat([Buffer.from('junk'), bytes, Buffer.from('more')]);
    const view = big.subarray(4, 4 + bytes.length);
    expect(vat.deserializer().deserialize('t', view)).toEqual({ value: { a: 'é' }, timestamp: 9 });
  });

  it('throws the serde own errors (bad JSON with its byte count, a value JSON cannot encode, a validator)', () => {
    const vat = new ValueAndTimestampSerde(json);
    const bad = Buffer.concat([Buffer.alloc(8), Buffer.from('{"a":')]);
    expect(() => vat.deserializer().deserialize('topic-x', bad)).toThrow(
      'Json deserializer on topic "topic-x" got invalid JSON (5 bytes)',
    );
    expect(() => vat.serializer().serialize('topic-x', { value: () => 1, timestamp: 1 })).toThrow(
      'Json serializer on topic "topic-x" got a value JSON cannot encode',
    );
    const validated = new ValueAndTimestampSerde(
      Serdes.Json<number>((v) => {
        if (typeof v !== 'number') throw new Error('not a number');
        return v;
      }),
    );
    const text = Buffer.concat([Buffer.alloc(8), Buffer.from('"s"')]);
    expect(() => validated.deserializer().deserialize('t', text)).toThrow(
      'Json deserializer on topic "t" rejected a value: not a number',
    );
    expect(
      validated.deserializer().deserialize('t', Buffer.concat([Buffer.alloc(8), Buffer.from('4')])),
    ).toEqual({
      value: 4,
      timestamp: 0,
    });
    // JSON `null` is an absent value, as through the serde
    expect(
      vat.deserializer().deserialize('t', Buffer.concat([Buffer.alloc(8), Buffer.from('null')])),
    ).toBeNull();
  });

  it('a String serde given a Buffer (which Buffer.from takes) writes what the serde writes', () => {
    const vat = new ValueAndTimestampSerde(Serdes.String());
    const value = Buffer.from('raw') as unknown as string;
    expect(vat.serializer().serialize('t', { value, timestamp: 3 })).toEqual(
      spelled(Serdes.String(), value, 3),
    );
  });
});
